// Another harness as a measurement source Ratchet drives (`ratchet run --command <cmd> --from
// <format>`): the harness is run again and again, each run's output read by the importer, and the
// runs are the samples' turns. A run that kept samples gives them all to its turn; a run that kept
// statistics or one number gives that figure, so even one number per run becomes a sample set
// after a few runs. With a base, head and base runs alternate (head-base, then base-head, ...),
// turn t of one side pairing with turn t of the other: drift slower than a pair of runs cancels,
// as it does for Ratchet's own interleaved sides. The stopping rule is the usual one over runs.
import { minEffectiveSamples } from '@ratchet/baseline';
import type { MarkdownOptions } from '@ratchet/report';
import { RatchetError, centralMs, type Baseline, type Benchmark, type Measurement, type RelativeInfo, type RunResult, type Thresholds } from '@ratchet/types';
import { judgeSameSession } from './relative.js';
import { judge, keptJudgement, type Judgement } from './run.js';
import { withHarnessNames } from './import/harness-names.js';
import { measurementRecord } from './measurement-record.js';
import { pairedRatioKnown } from './sampling.js';
import { relativeCiHalfWidth } from './stopping-rule.js';

export type HarnessSide = 'head' | 'base';

/** How many runs of the harness, and when to stop. */
export interface HarnessBudget {
  /** Runs (pairs of runs with a base) before the stopping rule may stop: at least what a verdict needs. */
  minRuns: number;
  maxRuns: number;
  /** Stop starting runs past this much time (a run in flight is finished). */
  maxTimeMs: number;
  /** Stop once every benchmark's median (its ratio to the base, with a base) is known to this fraction. */
  targetRelCiHalfWidth: number;
}

export interface HarnessRunsInput {
  /** Runs the harness once on `side` and returns its output as read by the importer. */
  runHarness: (side: HarnessSide, run: number) => Promise<RunResult>;
  withBase: boolean;
  budget: HarnessBudget;
  now?: () => number;
  /** After each run: which side, its index, the time so far. */
  onRun?: (side: HarnessSide, run: number, elapsedMs: number) => void;
}

export interface HarnessRunsOutcome {
  head: RunResult;
  base: RunResult | null;
  /** Runs per side. */
  runs: number;
  stopReason: NonNullable<Measurement['stopReason']>;
}

/** One benchmark's figures over the runs of one side. */
interface Series {
  benchmark: Benchmark;
  harnessName: string | undefined;
  /** Each run's samples (one figure for a run that kept statistics or one number). */
  runs: number[][];
}

interface SideRuns {
  first: RunResult | null;
  series: Map<string, Series>;
  runs: number;
}

/** What one run gives each benchmark's turn: its samples, else its figure. */
function figuresOf(m: Measurement, run: number, file: string): number[] {
  if (m.status !== 'ok') throw new RatchetError('ERR_RATCHET_KERNEL_FAILED', `${file}: run ${run + 1} of the harness: benchmark ${m.id} failed (${m.correctness?.detail ?? 'the harness reported an error'})`);
  return m.samplesMs.length > 0 ? m.samplesMs : [centralMs(m)!];
}

/** Adds one run's output to a side, checking it holds the same benchmarks on the same device as the runs before. */
function addRun(side: SideRuns, result: RunResult, name: HarnessSide): void {
  const run = side.runs;
  const where = `the ${name} side`;
  if (side.first === null) side.first = result;
  else {
    if (result.device.deviceKey !== side.first.device.deviceKey) throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${where}: run ${run + 1} of the harness reported ${result.device.deviceKey}, run 1 ${side.first.device.deviceKey}: one device for every run`);
    const ids = new Set(result.measurements.map((m) => m.id));
    const lost = [...side.series.keys()].filter((id) => !ids.has(id));
    const added = [...ids].filter((id) => !side.series.has(id));
    if (lost.length + added.length > 0) {
      const what = [lost.length ? `without ${lost.slice(0, 3).join(', ')}` : '', added.length ? `with ${added.slice(0, 3).join(', ')} new` : ''].filter(Boolean).join(' and ');
      throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${where}: run ${run + 1} of the harness came back ${what}: every run must time the same benchmarks`);
    }
  }
  const file = result.imported?.files[0] ?? 'the harness output';
  for (const m of result.measurements) {
    let series = side.series.get(m.id);
    if (!series) side.series.set(m.id, (series = { benchmark: m.benchmark, harnessName: m.harnessName, runs: [] }));
    series.runs.push(figuresOf(m, run, file));
  }
  side.runs += 1;
}

const medianOf = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Whether every benchmark is known well enough: its median over the runs, or its ratio to the base turn by turn. */
function known(head: SideRuns, base: SideRuns | null, target: number): boolean {
  for (const [id, series] of head.series) {
    if (!base) {
      const perRun = Float64Array.from(series.runs.map(medianOf)).sort();
      if (relativeCiHalfWidth(perRun) > target) return false;
      continue;
    }
    const other = base.series.get(id);
    if (!other) continue;
    // Two medians each known to the target know their ratio to sqrt(2) x the target (sampling.ts),
    // on the turns a verdict needs at least (a run is a costly turn: no more than that).
    const turns = (runs: number[][]) => ({ samplesMs: runs.flat(), turns: runs.map((r) => r.length) });
    if (!pairedRatioKnown(turns(other.runs), turns(series.runs), Math.SQRT2 * target, minEffectiveSamples)) return false;
  }
  return true;
}

/** A side's runs as its record: each benchmark's figures of every run, the runs its turns (measurement-record.ts). */
function asRunResult(side: SideRuns, stopReason: HarnessRunsOutcome['stopReason']): RunResult {
  const first = side.first!;
  const measurements: Measurement[] = [...side.series.values()].map((series) => measurementRecord({
    benchmark: series.benchmark, variant: 'default', work: null, correctness: null,
    timed: { samples: { samplesMs: series.runs.flat(), sampleTurns: series.runs.map((r) => r.length) }, stopReason, clockStart: null, clockEnd: null },
    ...(series.harnessName === undefined ? {} : { harnessName: series.harnessName }),
  }));
  return { ...first, measurements, imported: { ...first.imported!, runs: side.runs } };
}

/**
 * Runs the harness until the stopping rule is met: at least minRuns runs (pairs), then until every
 * benchmark is known to the target, or maxRuns, or the time budget. Head and base alternate.
 */
export async function measureHarnessRuns(input: HarnessRunsInput): Promise<HarnessRunsOutcome> {
  const now = input.now ?? (() => performance.now());
  const started = now();
  const head: SideRuns = { first: null, series: new Map(), runs: 0 };
  const base: SideRuns | null = input.withBase ? { first: null, series: new Map(), runs: 0 } : null;
  const { budget } = input;
  for (let turn = 0; ; turn += 1) {
    const order: HarnessSide[] = !base ? ['head'] : turn % 2 === 0 ? ['head', 'base'] : ['base', 'head'];
    for (const side of order) {
      const result = await input.runHarness(side, turn);
      addRun(side === 'head' ? head : base!, result, side);
      input.onRun?.(side, turn, now() - started);
    }
    if (base && turn === 0 && base.first!.device.deviceKey !== head.first!.device.deviceKey) {
      throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `the base's harness reported ${base.first!.device.deviceKey} and the head's ${head.first!.device.deviceKey}: both sides must run on one device`);
    }
    const runs = turn + 1;
    const elapsed = now() - started;
    let stop: HarnessRunsOutcome['stopReason'] | null = null;
    if (runs >= budget.maxRuns) stop = 'max-samples';
    // As the sampling loop's cap: time yields once there are runs enough for a CI at all.
    else if (elapsed >= budget.maxTimeMs && runs >= Math.min(budget.minRuns, 3)) stop = 'time-budget';
    else if (runs >= budget.minRuns && known(head, base, budget.targetRelCiHalfWidth)) stop = 'converged';
    if (stop) return { head: asRunResult(head, stop), base: base ? asRunResult(base, stop) : null, runs, stopReason: stop };
  }
}

export interface HarnessJudgeOptions {
  thresholds: Thresholds;
  /** The committed baseline, judged against when there is no base side. */
  baseline: Baseline | null;
  /** With a base side: what it was (ref and commit). */
  baseInfo?: RelativeInfo;
  report?: MarkdownOptions;
}

/**
 * The runs judged. With a base: head against base turn by turn (each pair of runs a turn), at the
 * same-session threshold with no run-to-run spread, as `run --base` judges Ratchet's own sides;
 * the baseline is not touched. Without: against the committed baseline, as `compare` judges.
 */
export function judgeHarnessRuns(outcome: HarnessRunsOutcome, options: HarnessJudgeOptions): Judgement {
  if (!outcome.base) return judge(outcome.head, options.baseline, options.thresholds, options.report ? { report: options.report } : {});
  const comparison = withHarnessNames(judgeSameSession(outcome.head, outcome.base, options.thresholds, options.baseInfo ? { baseInfo: options.baseInfo } : {}), outcome.head);
  return keptJudgement(comparison, options.baseline, options.report);
}
