import { baselineEntryFor, compare, type EntryStatistics } from '@ratchet/baseline';
import { summarize } from '@ratchet/stats';
import {
  RatchetError,
  baselineSchemaVersion,
  benchmarkId,
  runResultSchemaVersion,
  type Baseline,
  type BaselineEntry,
  type Benchmark,
  type BenchmarkComparison,
  type Correctness,
  type Device,
  type MeasureBudget,
  type Measurement,
  type RunResult,
  type Thresholds,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { measurementRecord } from './measurement-record.js';
import { remeasureLooks, remeasureOnce } from './remeasure.js';
import { sampleSides } from './sampling.js';
import { aimFor, type SensitivityAim } from './sensitivity-aim.js';
import { checkSide, closeSides, openSide, sideOf } from './side.js';
import { budgetForTimer } from './timer-ticks.js';

/**
 * Both sides of every calibration comparison carry a wait of at least this many microseconds,
 * so the injected slowdown is the difference between two waits, not the cost of an extra launch.
 */
const baseWaitUs = 0.01;

export interface CalibrationOptions {
  budget: MeasureBudget;
  /** The verdict's thresholds; `regressionPct` is replaced by each of `regressionPcts` in turn. */
  thresholds: Thresholds;
  /** Regression thresholds to judge every comparison at (the same sample sets for all). */
  regressionPcts: readonly number[];
  /** A/A comparisons per benchmark (pairs of interleaved sample sets of one session). */
  trials: number;
  slowdownsPct: readonly number[];
  /** Comparisons per injected slowdown. */
  sensitivityTrials: number;
  /**
   * Benchmarks in the suite this one is calibrated with: its first look is judged at the level
   * Holm gives a benchmark of an unchanged suite of that size (alpha / looks / suiteSize). Default 1.
   */
  suiteSize?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => number;
}

/** Takes of one comparison before a device that throttles every batch of a side stops the calibration. */
const maxThrottledAttempts = 4;

/** Two interleaved sample sets of one benchmark: the first as a baseline entry, the second as this run's measurement. */
export interface CalibrationPair {
  before: BaselineEntry;
  /** The before side as taken (in order, with its turns): what `after` pairs with turn by turn. */
  beforeTaken: Measurement;
  after: Measurement;
  /** Inconclusive at the first look, so measured once more (the samples here are both looks'). */
  remeasured?: boolean;
}

/** What calibrating one benchmark measured; calibrationResults judges a suite of them. */
export interface BenchmarkCalibration {
  id: string;
  /** Comparisons of the same build with itself. */
  aa: CalibrationPair[];
  /**
   * Comparisons with a wait of known length injected into the second side; `waitScale`: the
   * nominal wait (slowdownPct of the median) times this lands at the asked size (landingScale).
   */
  slowdowns: { slowdownPct: number; waitScale: number; pairs: CalibrationPair[] }[];
  /** Comparisons taken again because one side saw only throttled batches (NVML reasons or low clock). */
  throttledRetakes: number;
  /** Launches per sample the probe chose for the timer's tick (1: one launch). */
  launchesPerSample: number;
}

/**
 * compare() keys a baseline by device: every pair of a calibration was taken on one device and is
 * judged against its own other side alone, so one stand-in serves (no verdict names it).
 */
const pairDevice: Device = {
  backend: 'cuda', name: 'calibration', deviceKey: 'calibration', computeCapability: null, multiprocessorCount: 0, l2CacheBytes: null,
  memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};

/**
 * Pairs judged as one pull request, through compare(): the verdict `ratchet run --base` gives,
 * each `after` against its `before` turn by turn, Holm over `familySize` benchmarks at
 * alpha / `looks`. By benchmark id.
 */
export function judgePairs(pairs: readonly CalibrationPair[], thresholds: Thresholds, options: { looks: number; familySize: number; statistics?: EntryStatistics }): Map<string, BenchmarkComparison> {
  const run = (measurements: Measurement[]): RunResult => ({
    schemaVersion: runResultSchemaVersion, createdAt: '', git: null, device: pairDevice,
    timing: { clock: 'cuda-events', warmup: 0, l2Flush: false, launchesPerSample: 1 }, measurements,
  });
  const baseline: Baseline = { schemaVersion: baselineSchemaVersion, devices: { [pairDevice.deviceKey]: { device: pairDevice, benchmarks: Object.fromEntries(pairs.map((p) => [p.after.id, p.before])) } } };
  const comparison = compare(run(pairs.map((p) => p.after)), baseline, thresholds, {
    looks: options.looks, familySize: options.familySize, pairedBase: run(pairs.map((p) => p.beforeTaken)),
    ...(options.statistics ? { statistics: options.statistics } : {}),
  });
  return new Map(comparison.results.map((r) => [r.id, r]));
}

/** The most the landing correction stretches or shrinks a wait: past it, the slowdown is reported where it landed. */
export const maxLandingScale = 1.25;

/** A probe scales the wait only when its CI half-width is within this share of the asked size. */
const probePrecision = 0.1;

/**
 * How much longer (or shorter) the injected wait must be for the slowdown to land at `slowdownPct`,
 * from one comparison with the nominal wait (not counted among the trials). A wait does not land
 * exactly: on the H200 a 0.52 us wait added 0.42 us to a 52 us RMSNorm (+0.8%, the wait kernel
 * overlapping the drain of the kernel before it). Scaled by the probe's own estimate only when its
 * CI is within a tenth of the asked size either side, and by x0.8-x1.25 at most: a correction of
 * up to 2x from probes precise to a quarter moved waits by x0.83-x1.74 on an H100, and in
 * simulation (where a wait lands exactly) scaled them on the probe's noise alone, landing a 1.5%
 * slowdown anywhere from +1.3% to +1.9%. Detection is reported at the size that landed
 * (measuredSlowdownPct, the median of the trials), whatever the correction did.
 */
export function landingScale(probe: CalibrationPair, slowdownPct: number, thresholds: Thresholds): number {
  const judged = judgePairs([probe], calibrationThresholds(thresholds, slowdownPct), { looks: 1, familySize: 1 }).get(probe.after.id)!;
  const asked = slowdownPct / 100;
  const landed = judged.ratio! - 1;
  const [low, high] = judged.ratioCi95!;
  if (!(landed > 0) || (high - low) / 2 > asked * probePrecision) return 1;
  return Math.min(Math.max(asked / landed, 1 / maxLandingScale), maxLandingScale);
}

/** Thresholds of a same-session comparison at one regression threshold: no run-to-run spread. */
export function calibrationThresholds(thresholds: Thresholds, regressionPct: number): Thresholds {
  return { ...thresholds, regressionPct, runToRunPct: 0 };
}

/**
 * How far the verdicts can be trusted on one benchmark, measured: A/A comparisons of two sample
 * sets of the same build, taken interleaved like `ratchet run --base` takes head and base (with
 * bench's stopping rule on both, and its launches per sample), and pairs where the second side
 * has a busy-wait of known length inside its timed region. Like `ratchet run`, a comparison the
 * first look cannot decide (at any threshold asked) is measured once more with twice the budget.
 * calibrationResults then judges them as suites, through compare(): the verdict `ratchet run`
 * gives, suite-wide control included. The A/A guard on kernel identity is left out: here both
 * sides are the same code by design.
 */
export async function calibrateBenchmark(backend: MeasureBackend, benchmark: Benchmark, options: CalibrationOptions): Promise<BenchmarkCalibration> {
  const opened = await openSide(backend, benchmark);
  try {
    const check = await checkSide(opened, options.now);
    // The user's kernel is wrong: exit 1, as a failed check in `run` is, not an internal error.
    if (!check.passed) throw new RatchetError('ERR_RATCHET_KERNEL_FAILED', `${benchmarkId(benchmark)} failed its correctness check, so it cannot be calibrated: ${check.detail}`);
    const budget = await budgetForTimer(opened.session, backend.device, options.budget);
    const taker = pairTaker(backend.device, opened.session, benchmark, check, budget, options);
    const aa: CalibrationPair[] = [];
    for (let trial = 0; trial < options.trials; trial += 1) aa.push(await taker.pair(baseWaitUs));
    const launchUs = summarize(aa.at(-1)?.after.samplesMs ?? (await taker.pair(baseWaitUs)).after.samplesMs).median * 1e3;
    const slowdowns: BenchmarkCalibration['slowdowns'] = [];
    for (const slowdownPct of options.slowdownsPct) {
      // The wait is once per sample and times are per launch: a sample of L launches waits L times as long.
      const nominalUs = (launchUs * budget.launchesPerSample * slowdownPct) / 100;
      const waitScale = options.sensitivityTrials > 0 ? landingScale(await taker.pair(baseWaitUs + nominalUs), slowdownPct, options.thresholds) : 1;
      const pairs: CalibrationPair[] = [];
      for (let trial = 0; trial < options.sensitivityTrials; trial += 1) pairs.push(await taker.pair(baseWaitUs + nominalUs * waitScale));
      slowdowns.push({ slowdownPct, waitScale, pairs });
    }
    return { id: benchmarkId(benchmark), aa, slowdowns, throttledRetakes: taker.throttledRetakes(), launchesPerSample: budget.launchesPerSample };
  } finally {
    await closeSides([opened]);
  }
}

/**
 * Takes one comparison at a time on `session`: two sample sets interleaved, as `ratchet run
 * --base` takes head and base, so drift between the sets cannot pass for (or hide) a slowdown;
 * like `ratchet run`, one the first look cannot decide (at any threshold asked) is measured once
 * more (remeasure.ts). A comparison whose side saw only throttled batches is taken again, a few
 * times at most.
 */
function pairTaker(device: Device, session: BenchmarkSession, benchmark: Benchmark, check: Correctness, budget: MeasureBudget, options: CalibrationOptions) {
  // Sampled, as `run --base` samples, to catch twice the smallest threshold asked at the suite's level.
  const aim: SensitivityAim = aimFor(options.thresholds, Math.min(...options.regressionPcts), options.suiteSize ?? 1, remeasureLooks);
  const total = options.trials + options.slowdownsPct.length * options.sensitivityTrials;
  let done = 0;
  let throttledRetakes = 0;
  // The two sides as records without a kernel identity: here both are the same code by design.
  const sample = async (extraUs: number, passBudget: MeasureBudget) => {
    const sides = [baseWaitUs, extraUs].map((wait) => sideOf(session, device, benchmark, { extraUs: wait }));
    const stopReason = await sampleSides(sides, passBudget, { ...(options.now ? { now: options.now } : {}), aim });
    const timed = (side: (typeof sides)[number]) => ({ samples: side.samples.fields({ turns: true }), stopReason, clockStart: null, clockEnd: null });
    return sides.map((side) => measurementRecord({ benchmark, variant: session.variant, work: null, correctness: check, timed: timed(side) })) as [Measurement, Measurement];
  };
  const pairOf = ([before, after]: readonly [Measurement, Measurement]): CalibrationPair => ({ before: baselineEntryFor(before, 'new', { sha: null, time: '' }), beforeTaken: before, after });
  const undecided = (pair: CalibrationPair) => options.regressionPcts.some((pct) => {
    const judged = judgePairs([pair], calibrationThresholds(options.thresholds, pct), { looks: remeasureLooks, familySize: Math.max(options.suiteSize ?? 1, 1) });
    return judged.get(pair.after.id)!.verdict === 'inconclusive';
  });
  const take = async (extraUs: number): Promise<CalibrationPair> => {
    const first = await sample(extraUs, budget);
    const again = undecided(pairOf(first));
    options.onProgress?.((done += 1), total);
    const { taken } = await remeasureOnce([first], () => again, budget, (_, longer) => sample(extraUs, longer), device);
    return again ? { ...pairOf(taken[0]!), remeasured: true } : pairOf(first);
  };
  const pair = async (extraUs: number): Promise<CalibrationPair> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await take(extraUs);
      } catch (error) {
        if (!(error instanceof RatchetError) || error.code !== 'ERR_RATCHET_THROTTLED' || attempt === maxThrottledAttempts) throw error;
        throttledRetakes += 1;
      }
    }
  };
  return { pair, throttledRetakes: () => throttledRetakes };
}
