import { baselineEntryFor, compareEntry, decide, weighComparison } from '@ratchet/baseline';
import { summarize } from '@ratchet/stats';
import {
  RatchetError,
  benchmarkId,
  type BaselineEntry,
  type Benchmark,
  type MeasureBudget,
  type Measurement,
  type Thresholds,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { sampleInterleaved } from './interleave.js';
import { longerBudget, remeasureLooks } from './remeasure.js';
import { SampleSet } from './sample-set.js';
import { aimFor } from './sensitivity-aim.js';
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

type SampleSetFields = Pick<Measurement, 'samplesMs' | 'samplesClockMHz' | 'sampleTurns'>;

/** One side's samples of several passes as one set (clocks and turns kept only when every pass had them). */
function joined(passes: readonly SampleSetFields[]): SampleSetFields {
  const samplesMs = passes.flatMap((pass) => pass.samplesMs);
  const clocked = passes.every((pass) => pass.samplesClockMHz);
  const turned = passes.every((pass) => pass.sampleTurns);
  return {
    samplesMs,
    ...(clocked ? { samplesClockMHz: passes.flatMap((pass) => pass.samplesClockMHz!) } : {}),
    ...(turned ? { sampleTurns: passes.flatMap((pass) => pass.sampleTurns!) } : {}),
  };
}

/**
 * A sample set as a measurement, without a kernel identity: calibration judges the statistics
 * alone. `stopReason`: why its last pass stopped (a cap, or the aim met).
 */
function asMeasurement(benchmark: Benchmark, samples: SampleSetFields, stopReason: Measurement['stopReason']): Measurement {
  return {
    id: benchmarkId(benchmark), benchmark, status: 'ok', variant: '', ...samples, summary: summarize(samples.samplesMs),
    flops: 0, bytes: 0, tflops: null, gbps: null, roof: null, roofFraction: null,
    correctness: { passed: true, maxAbsError: 0, relError: 0, tolerance: 0, reference: '' },
    stopReason, clockStart: null, clockEnd: null,
  };
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
export function landingScale(probe: CalibrationPair, slowdownPct: number): number {
  const time = compareEntry(probe.after, probe.before, probe.beforeTaken);
  const asked = slowdownPct / 100;
  const landed = time.ratio - 1;
  const [low, high] = time.ratioCi95;
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
  const session: BenchmarkSession = await backend.open(benchmark);
  try {
    const check = await session.check();
    // The user's kernel is wrong: exit 1, as a failed check in `run` is, not an internal error.
    if (!check.passed) throw new RatchetError('ERR_RATCHET_KERNEL_FAILED', `${benchmarkId(benchmark)} failed its correctness check, so it cannot be calibrated: ${check.detail}`);
    const budget = await budgetForTimer(session, backend.device, options.budget);
    const firstLook = options.thresholds.alpha / remeasureLooks / Math.max(options.suiteSize ?? 1, 1);
    // Sampled, as `run --base` samples, to catch twice the smallest threshold asked at the suite's level.
    const aim = aimFor(options.thresholds, Math.min(...options.regressionPcts), options.suiteSize ?? 1, remeasureLooks);
    const total = options.trials + options.slowdownsPct.length * options.sensitivityTrials;
    let done = 0;
    let throttledRetakes = 0;
    // One comparison: two sample sets taken interleaved on this session, as `ratchet run --base`
    // takes head and base, so drift between the sets cannot pass for (or hide) a slowdown.
    const takePair = async (extraUs: number): Promise<CalibrationPair> => {
      const sample = async (passBudget: MeasureBudget) => {
        const sides = [baseWaitUs, extraUs].map((wait) => ({ session, samples: new SampleSet(backend.device.smClockMHz), extraUs: wait }));
        const reason = await sampleInterleaved(sides, passBudget, options.now, aim);
        return { reason, sides: sides.map(({ samples }) => samples.fields({ turns: true })) };
      };
      const pairOf = (passes: Awaited<ReturnType<typeof sample>>[]): CalibrationPair => {
        const reason = passes.at(-1)!.reason;
        const [before, after] = [0, 1].map((side) => asMeasurement(benchmark, joined(passes.map((pass) => pass.sides[side]!)), reason));
        return { before: baselineEntryFor(before!, 'new', { sha: null, time: '' }), beforeTaken: before!, after: after! };
      };
      const first = await sample(budget);
      const result = pairOf([first]);
      const time = compareEntry(result.after, result.before, result.beforeTaken);
      const undecided = options.regressionPcts.some((pct) => {
        const judged = calibrationThresholds(options.thresholds, pct);
        return decide(weighComparison(time, result.before, judged), result.after, result.before, judged, firstLook).verdict === 'inconclusive';
      });
      options.onProgress?.((done += 1), total);
      // As `ratchet run --base` does: both sides again with twice the budget, the new samples added to the first.
      return undecided ? { ...pairOf([first, await sample(longerBudget(budget))]), remeasured: true } : result;
    };
    // A comparison whose side saw only throttled batches is taken again, a few times at most.
    const pair = async (extraUs: number): Promise<CalibrationPair> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await takePair(extraUs);
        } catch (error) {
          if (!(error instanceof RatchetError) || error.code !== 'ERR_RATCHET_THROTTLED' || attempt === maxThrottledAttempts) throw error;
          throttledRetakes += 1;
        }
      }
    };

    const aa: CalibrationPair[] = [];
    for (let trial = 0; trial < options.trials; trial += 1) aa.push(await pair(baseWaitUs));
    const launchUs = summarize(aa.at(-1)?.after.samplesMs ?? (await pair(baseWaitUs)).after.samplesMs).median * 1e3;
    const slowdowns: BenchmarkCalibration['slowdowns'] = [];
    for (const slowdownPct of options.slowdownsPct) {
      // The wait is once per sample and times are per launch: a sample of L launches waits L times as long.
      const nominalUs = (launchUs * budget.launchesPerSample * slowdownPct) / 100;
      const waitScale = options.sensitivityTrials > 0 ? landingScale(await pair(baseWaitUs + nominalUs), slowdownPct) : 1;
      const pairs: CalibrationPair[] = [];
      for (let trial = 0; trial < options.sensitivityTrials; trial += 1) pairs.push(await pair(baseWaitUs + nominalUs * waitScale));
      slowdowns.push({ slowdownPct, waitScale, pairs });
    }
    return { id: benchmarkId(benchmark), aa, slowdowns, throttledRetakes, launchesPerSample: budget.launchesPerSample };
  } finally {
    await session.close();
  }
}
