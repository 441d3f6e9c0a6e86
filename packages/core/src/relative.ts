import { baselineEntryFor, compare } from '@ratchet/baseline';
import {
  baselineSchemaVersion,
  benchmarkId,
  type Baseline,
  type Benchmark,
  type Comparison,
  type GitInfo,
  type MeasureBudget,
  type Measurement,
  type RelativeInfo,
  type RunResult,
  type Thresholds,
} from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { runRecord, sideRecord } from './measurement-record.js';
import { remeasureLooks, remeasureOnce } from './remeasure.js';
import { sampleSides } from './sampling.js';
import { aimFor, type SensitivityAim } from './sensitivity-aim.js';
import { checkSide, closeSides, openSide, type Side } from './side.js';
import { budgetForTimer } from './timer-ticks.js';

/**
 * One benchmark on two builds in one process, interleaved (sampling.ts) until both sides meet
 * the stopping rule. Same seed, so both check the same inputs; clock drift and GPU state hit both
 * sides alike. A side whose check fails is invalid, and neither side is timed.
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
    for (const backend of [head, base]) sides.push(await openSide(backend, benchmark, { seed: options.seed }));
    const checks = [await checkSide(sides[0]!, now), await checkSide(sides[1]!, now)];
    const passed = checks.every((c) => c.passed);
    // Launches per sample from the head's probe, the same on both sides so their times compare.
    const timed = passed ? await budgetForTimer(sides[0]!.session, head.device, budget) : budget;
    const stopReason = passed ? await sampleSides(sides, timed, { now, ...(options.aim ? { aim: options.aim } : {}) }) : null;
    const pass = { stopReason, launches: timed.launchesPerSample !== budget.launchesPerSample ? timed.launchesPerSample : null, turns: true };
    return {
      head: await sideRecord(benchmark, sides[0]!, checks[0]!, pass),
      base: await sideRecord(benchmark, sides[1]!, checks[1]!, pass),
    };
  } finally {
    await closeSides(sides);
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

/**
 * Head against the base measured with it, turn by turn (both sides took the same turns), at the
 * same-session threshold with no run-to-run spread: the verdict of `run --base`, and of a
 * harness's runs with a base (harness-runs.ts). `baseInfo` stamps what the base was.
 */
export function judgeSameSession(head: RunResult, base: RunResult, thresholds: Thresholds, options: { looks?: number; familySize?: number; baseInfo?: RelativeInfo } = {}): Comparison {
  const { baseInfo, ...judged } = options;
  const comparison = compare(head, baselineFromRun(base), sameSessionThresholds(thresholds), { ...judged, pairedBase: base });
  return baseInfo ? withRelativeInfo(comparison, baseInfo) : comparison;
}

/** Stamps a relative comparison with what it compared against (A/A shows per result). */
export function withRelativeInfo(comparison: Comparison, info: RelativeInfo): Comparison {
  return { ...comparison, relative: info };
}

/** One benchmark's two sides, measured together. */
type Pair = { head: Measurement; base: Measurement };

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
  const pairs: Pair[] = [];
  for (const [index, benchmark] of benchmarks.entries()) {
    input.onBenchmark?.(benchmarkId(benchmark), index, total, false);
    const pair = await measurePair(benchmark, budget);
    input.onPair?.(pair, index, total);
    pairs.push(pair);
  }
  const createdAt = input.createdAt ?? new Date().toISOString();
  const runs = (taken: readonly Pair[]): { head: RunResult; base: RunResult } => ({
    head: runRecord(head, budget, { git: input.git, createdAt, measurements: taken.map((p) => p.head) }),
    base: runRecord(head, budget, { git: { sha: input.baseInfo.baseSha, branch: null, dirty: false }, createdAt, measurements: taken.map((p) => p.base) }),
  });
  const judged = (taken: readonly Pair[]) => {
    const { head: headRun, base: baseRun } = runs(taken);
    const family = input.familySize === undefined ? {} : { familySize: input.familySize };
    return judgeSameSession(headRun, baseRun, input.thresholds, { looks: remeasureLooks, baseInfo: input.baseInfo, ...family });
  };
  const first = judged(pairs);
  // Inconclusive means "not enough evidence": both sides measured once more (remeasure.ts), then judged for good.
  const inconclusive = new Set(first.results.filter((r) => r.verdict === 'inconclusive').map((r) => r.id));
  const again = async (index: number, longer: MeasureBudget) => {
    input.onBenchmark?.(pairs[index]!.head.id, index, total, true);
    const pair = await measurePair(benchmarks[index]!, longer);
    return [pair.head, pair.base] as const;
  };
  const { taken, remeasured } = await remeasureOnce(pairs.map((p) => [p.head, p.base] as const), (index) => inconclusive.has(pairs[index]!.head.id), budget, again, head.device);
  const final = remeasured.length === 0 ? pairs : taken.map(([headSide, baseSide]) => ({ head: headSide, base: baseSide }));
  return { ...runs(final), comparison: remeasured.length === 0 ? first : judged(final), remeasured: [...inconclusive] };
}
