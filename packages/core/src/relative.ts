import { baselineEntryFor } from '@ratchet/baseline';
import { summarize } from '@ratchet/stats';
import { compare } from '@ratchet/baseline';
import {
  baselineSchemaVersion,
  benchmarkId,
  runResultSchemaVersion,
  type Baseline,
  type Benchmark,
  type Comparison,
  type Correctness,
  type GitInfo,
  type MeasureBudget,
  type Measurement,
  type RelativeInfo,
  type RunResult,
  type Thresholds,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { sampleInterleaved } from './interleave.js';
import { roofline } from './measure.js';
import { longerBudget, remeasureLooks, withMoreSamples } from './remeasure.js';
import { timingMethod } from './run.js';
import { SampleSet } from './sample-set.js';
import { aimFor, type SensitivityAim } from './sensitivity-aim.js';
import { budgetForTimer } from './timer-ticks.js';

export interface Side {
  backend: MeasureBackend;
  session: BenchmarkSession;
  samples: SampleSet;
}

/** One side of an interleaved measurement as a Measurement (invalid, untimed, when its check failed). */
export async function toMeasurement(benchmark: Benchmark, side: Side, correctness: Correctness, reason: Measurement['stopReason'], launches: number | null): Promise<Measurement> {
  const { flops, bytes } = side.session.work;
  const base = {
    id: benchmarkId(benchmark), benchmark, variant: side.session.variant, flops, bytes, correctness,
    clockStart: null, clockEnd: await side.session.clock(), kernelIdentity: side.session.kernelIdentity ?? null,
  };
  if (!correctness.passed) {
    return { ...base, status: 'invalid', samplesMs: [], summary: null, tflops: null, gbps: null, roof: null, roofFraction: null, stopReason: null, clockEnd: null };
  }
  const summary = summarize(side.samples.samplesMs);
  return {
    ...base, status: 'ok', ...side.samples.fields({ turns: true }), summary, ...roofline(side.backend.device, flops, bytes, summary.median),
    stopReason: reason, ...(launches === null ? {} : { launchesPerSample: launches }),
  };
}

/**
 * One benchmark on two builds in one process, interleaved (sampleInterleaved) until both sides
 * meet the stopping rule. Same seed, so both check the same inputs; clock drift and GPU state hit
 * both sides alike.
 */
export async function measureInterleaved(
  head: MeasureBackend,
  base: MeasureBackend,
  benchmark: Benchmark,
  options: { budget: MeasureBudget; seed: number; now?: () => number; aim?: SensitivityAim },
): Promise<{ head: Measurement; base: Measurement }> {
  const { budget, now = () => performance.now() } = options;
  const sides: Side[] = [];
  try {
    for (const backend of [head, base]) {
      sides.push({ backend, session: await backend.open(benchmark, { seed: options.seed }), samples: new SampleSet(backend.device.smClockMHz) });
    }
    const checks = [await sides[0]!.session.check(), await sides[1]!.session.check()];
    const passed = checks.every((c) => c.passed);
    // Launches per sample from the head's probe, the same on both sides so their times compare.
    const timed = passed ? await budgetForTimer(sides[0]!.session, head.device, budget) : budget;
    const reason = passed ? await sampleInterleaved(sides, timed, now, options.aim) : null;
    const launches = timed.launchesPerSample !== budget.launchesPerSample ? timed.launchesPerSample : null;
    return {
      head: await toMeasurement(benchmark, sides[0]!, checks[0]!, reason, launches),
      base: await toMeasurement(benchmark, sides[1]!, checks[1]!, reason, launches),
    };
  } finally {
    for (const side of sides) await side.session.close();
  }
}

/** A base run as a baseline, so compare() judges head against it like against the committed one. */
export function baselineFromRun(run: RunResult): Baseline {
  const benchmarks = Object.fromEntries(
    run.measurements
      .filter((m) => m.status === 'ok' && (m.summary || m.reported))
      .map((m) => [m.id, baselineEntryFor(m, 'new', { sha: run.git?.sha ?? null, time: run.createdAt })]),
  );
  return { schemaVersion: baselineSchemaVersion, devices: { [run.device.deviceKey]: { device: run.device, benchmarks } } };
}

/**
 * The thresholds a same-session (interleaved) comparison is judged at: the relative regression
 * threshold in place of the cross-run one (Thresholds.relativeRegressionPct), and no run-to-run
 * spread (both sides are one run).
 */
export function sameSessionThresholds(thresholds: Thresholds): Thresholds {
  return { ...thresholds, regressionPct: thresholds.relativeRegressionPct ?? thresholds.regressionPct, runToRunPct: 0 };
}

/** Stamps a relative comparison with what it compared against (A/A shows per result). */
export function withRelativeInfo(comparison: Comparison, info: RelativeInfo): Comparison {
  return { ...comparison, relative: info };
}

export interface RelativeInput {
  head: MeasureBackend;
  base: MeasureBackend;
  /** What the base is: the ref as given and the commit it resolved to. */
  baseInfo: RelativeInfo;
  benchmarks: readonly Benchmark[];
  budget: MeasureBudget;
  /** Cross-run thresholds; judged at their same-session (relative) regression threshold. */
  thresholds: Thresholds;
  /** Benchmarks in the family Holm spreads alpha over, when more than these (a confirmation of changes measured in groups). */
  familySize?: number;
  git: GitInfo | null;
  createdAt?: string;
  now?: () => number;
  /** Before each benchmark (and each re-measure) is taken. */
  onBenchmark?: (id: string, index: number, total: number, again: boolean) => void;
  /** After each benchmark's pair is taken (the first time). */
  onPair?: (pair: { head: Measurement; base: Measurement }, index: number, total: number) => void;
}

export interface RelativeOutcome {
  head: RunResult;
  base: RunResult;
  comparison: Comparison;
  /** Benchmarks inconclusive at first and measured once more, both sides. */
  remeasured: string[];
}

/**
 * Head against a base build, every benchmark measured interleaved in one process on the same
 * inputs, judged at the same-session threshold; what the data could not decide is measured once
 * more (both sides, twice the budget, samples added), then judged for good.
 */
export async function measureRelative(input: RelativeInput): Promise<RelativeOutcome> {
  const { head, base, benchmarks, budget, now } = input;
  const total = benchmarks.length;
  // Each pair sampled until it could catch twice the same-session threshold at its level in the run.
  const aim = aimFor(input.thresholds, sameSessionThresholds(input.thresholds).regressionPct, input.familySize ?? total, remeasureLooks);
  const measurePair = (benchmark: Benchmark, pairBudget: MeasureBudget) =>
    measureInterleaved(head, base, benchmark, { budget: pairBudget, seed: 1, aim, ...(now ? { now } : {}) });
  const pairs: { head: Measurement; base: Measurement }[] = [];
  for (const [index, benchmark] of benchmarks.entries()) {
    input.onBenchmark?.(benchmarkId(benchmark), index, total, false);
    const pair = await measurePair(benchmark, budget);
    input.onPair?.(pair, index, total);
    pairs.push(pair);
  }
  const common = { schemaVersion: runResultSchemaVersion as typeof runResultSchemaVersion, createdAt: input.createdAt ?? new Date().toISOString(), device: head.device, timing: timingMethod(head, budget) };
  const runs = (): { head: RunResult; base: RunResult } => ({
    head: { ...common, git: input.git, measurements: pairs.map((p) => p.head) },
    base: { ...common, git: { sha: input.baseInfo.baseSha, branch: null, dirty: false }, measurements: pairs.map((p) => p.base) },
  });
  const judged = () => {
    const { head: headRun, base: baseRun } = runs();
    // Both sides took the same turns: each benchmark is judged turn by turn (pairedBase).
    const family = input.familySize === undefined ? {} : { familySize: input.familySize };
    return withRelativeInfo(compare(headRun, baselineFromRun(baseRun), sameSessionThresholds(input.thresholds), { looks: remeasureLooks, pairedBase: baseRun, ...family }), input.baseInfo);
  };
  let comparison = judged();
  const inconclusive = new Set(comparison.results.filter((r) => r.verdict === 'inconclusive').map((r) => r.id));
  if (inconclusive.size > 0) {
    const longer = longerBudget(budget);
    for (const [index, benchmark] of benchmarks.entries()) {
      const pair = pairs[index]!;
      if (!inconclusive.has(pair.head.id)) continue;
      input.onBenchmark?.(pair.head.id, index, total, true);
      const again = await measurePair(benchmark, longer);
      pairs[index] = { head: withMoreSamples(pair.head, again.head, head.device), base: withMoreSamples(pair.base, again.base, head.device) };
    }
    comparison = judged();
  }
  return { ...runs(), comparison, remeasured: [...inconclusive] };
}
