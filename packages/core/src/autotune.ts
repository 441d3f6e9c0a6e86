import { compareSides } from '@ratchet/stats';
import {
  RatchetError,
  benchmarkId,
  type Benchmark,
  type Correctness,
  type MeasureBudget,
  type Measurement,
  type TuningCandidate,
  type TuningEntry,
} from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { estimateSuite } from './cost.js';
import { sideRecord } from './measurement-record.js';
import { sampleSides } from './sampling.js';
import { checkSide, closeSides, openSide, type Side } from './side.js';
import type { StopReason } from './stopping-rule.js';
import { budgetForTimer } from './timer-ticks.js';

/** Family-wise error rate of choosing a variant that is not really faster. */
const familyAlpha = 0.05;

/**
 * The variant to use, from every variant's measurement on one benchmark (the default's first).
 * A variant wins only when the CI of its median over the default's lies entirely below 1 at a
 * Bonferroni-corrected level (1 - 0.05 / candidates), so trying more variants does not make a
 * false winner more likely; among winners the fastest is taken. Invalid variants are listed,
 * never chosen; an invalid default is kept so that bench/run report it.
 */
export function chooseVariant(measurements: readonly Measurement[], at: { sha: string | null; time: string }): TuningEntry {
  const [reference, ...others] = measurements;
  if (!reference) throw new RatchetError('ERR_RATCHET_INTERNAL', 'chooseVariant needs at least the default variant');
  const valid = others.filter((m) => m.status === 'ok');
  const confidence = 1 - familyAlpha / Math.max(valid.length, 1);
  const candidates: TuningCandidate[] = measurements.map((m) => {
    const base: TuningCandidate = {
      variant: m.variant, status: m.status, medianMs: m.summary?.median ?? null, samples: m.samplesMs.length, ratio: null, ratioCi: null,
      ...(m.status === 'invalid' ? { detail: m.correctness?.detail ?? 'failed its correctness check' } : {}),
      // What the choice holds for: a later run checks the code compiled then against it (tuning-check.ts).
      kernelIdentity: m.kernelIdentity ?? null,
    };
    if (m === reference || m.status !== 'ok' || reference.status !== 'ok') return base;
    // The variants took turns (autotuneBenchmark): paired turn by turn, drift cancels.
    const { ratio, ratioCi95 } = compareSides(reference, m, { confidence });
    return { ...base, ratio, ratioCi: ratioCi95 };
  });
  const winners = candidates.filter((c) => c.ratio !== null && c.ratioCi !== null && c.ratioCi[1] < 1);
  const best = winners.sort((a, b) => a.ratio! - b.ratio!)[0];
  return {
    variant: best?.variant ?? reference.variant,
    defaultVariant: reference.variant,
    speedup: best ? 1 / best.ratio! : 1,
    confidence,
    candidates,
    tunedAt: at.time,
    sha: at.sha,
  };
}

export interface AutotuneProgress {
  id: string;
  variant: string;
  /** 0-based over every (benchmark, variant) pair of this run. */
  step: number;
  steps: number;
  timeLeftMs: number;
}

/**
 * Every variant of one benchmark checked, then the valid ones sampled interleaved (as relative
 * mode samples head and base: sampling.ts) with bench's stopping rule, then chosen. One after
 * another, drift between the measurements decided the race: with 0.5% drift 27-32% of "winners"
 * were no faster. `budget` is per variant: k variants sampled together get k times its time.
 */
export async function autotuneBenchmark(
  backend: MeasureBackend,
  benchmark: Benchmark,
  variants: readonly string[],
  options: { budget: MeasureBudget; at: { sha: string | null; time: string }; onVariant?: (variant: string, index: number) => void; now?: () => number },
): Promise<TuningEntry> {
  const { budget, now = () => performance.now() } = options;
  const sides: Side[] = [];
  try {
    for (const [index, variant] of variants.entries()) {
      options.onVariant?.(variant, index);
      sides.push(await openSide(backend, benchmark, { variant }));
    }
    const checks: Correctness[] = [];
    for (const side of sides) checks.push(await checkSide(side, now));
    const valid = sides.filter((_, i) => checks[i]!.passed);
    let stopReason: StopReason | null = null;
    let launches: number | null = null;
    if (valid.length > 0) {
      const timed = await budgetForTimer(valid[0]!.session, backend.device, budget);
      launches = timed.launchesPerSample !== budget.launchesPerSample ? timed.launchesPerSample : null;
      const together = { ...timed, maxTimeMs: timed.maxTimeMs * valid.length, minTimeMs: timed.minTimeMs * valid.length };
      stopReason = await sampleSides(valid, together, { now });
    }
    const measurements: Measurement[] = [];
    for (const [i, side] of sides.entries()) measurements.push(await sideRecord(benchmark, side, checks[i]!, { stopReason, launches, turns: true }));
    return chooseVariant(measurements, options.at);
  } finally {
    await closeSides(sides);
  }
}

/** The per-benchmark time cap that spreads what is left of a total budget over what is left to do. */
export function shareOfBudget(budget: MeasureBudget, timeLeftMs: number, variantsLeft: number): MeasureBudget {
  const shareMs = Math.max(timeLeftMs / Math.max(variantsLeft, 1), 1);
  const maxTimeMs = Math.min(budget.maxTimeMs, shareMs);
  return { ...budget, maxTimeMs, minTimeMs: Math.min(budget.minTimeMs, maxTimeMs) };
}


/** One benchmark to tune and the variants its source declares (the default first). */
export interface TuningTask {
  benchmark: Benchmark;
  variants: string[];
}

export interface AutotuneSuiteOptions {
  /** The configured budget of one variant's measurement; its time cap is shared out (shareOfBudget). */
  budget: MeasureBudget;
  /** The whole run's time, ms: what is left is spread over the variants left, benchmark by benchmark. */
  totalMs: number;
  at: { sha: string | null; time: () => string };
  now?: () => number;
  /** Before each variant is opened: the step of all (benchmark, variant) pairs, and the time left, ms. */
  onVariant?: (progress: AutotuneProgress) => void;
  /** Each benchmark's choice as it is made (so it can be kept at once, and a re-run resume after it). */
  onTuned: (id: string, entry: TuningEntry, progress: { step: number; steps: number }) => Promise<void>;
}

/**
 * Every benchmark of `tasks` tuned in turn (autotuneBenchmark), the time left spread over what is
 * left to do. A shape past the limit on one call is refused before any is measured.
 */
export async function autotuneSuite(backend: MeasureBackend, tasks: readonly TuningTask[], options: AutotuneSuiteOptions): Promise<void> {
  const { now = () => performance.now() } = options;
  await estimateSuite(backend, tasks.map((task) => task.benchmark), options.budget);
  const steps = tasks.reduce((total, task) => total + task.variants.length, 0);
  const started = now();
  let step = 0;
  for (const { benchmark, variants } of tasks) {
    const id = benchmarkId(benchmark);
    const timeLeftMs = () => Math.max(0, options.totalMs - (now() - started));
    const entry = await autotuneBenchmark(backend, benchmark, variants, {
      budget: shareOfBudget(options.budget, timeLeftMs(), steps - step),
      at: { sha: options.at.sha, time: options.at.time() },
      now,
      onVariant: (variant, index) => options.onVariant?.({ id, variant, step: step + index, steps, timeLeftMs: timeLeftMs() }),
    });
    step += variants.length;
    await options.onTuned(id, entry, { step, steps });
  }
}
