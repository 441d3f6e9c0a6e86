import { baselineEntryFor, judgeBenchmark } from '@ratchet/baseline';
import { summarize } from '@ratchet/stats';
import {
  RatchetError,
  benchmarkId,
  type BaselineEntry,
  type Benchmark,
  type MeasureBudget,
  type Measurement,
  type Thresholds,
  type CalibrationRow,
  type SensitivityRow,
  type Verdict,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { sampleInterleaved } from './interleave.js';
import { longerBudget } from './remeasure.js';
import { SampleSet } from './sample-set.js';

/**
 * Both sides of every calibration comparison carry a wait of at least this many microseconds,
 * so the injected slowdown is the difference between two waits, not the cost of an extra launch.
 */
const baseWaitUs = 0.01;
/** A slowdown counts as reliably detected at this rate. */
export const detectionTarget = 0.95;

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
  onProgress?: (done: number, total: number) => void;
  now?: () => number;
}

/** Takes of one comparison before a device that throttles every batch of a side stops the calibration. */
const maxThrottledAttempts = 4;

/** Reasons of missed detections kept per slowdown, to see why a trial was missed. */
const missedReasonsKept = 3;

type SampleSetFields = Pick<Measurement, 'samplesMs' | 'samplesClockMHz'>;

/** A sample set as a measurement, without a kernel identity: calibration judges the statistics alone. */
function asMeasurement(benchmark: Benchmark, samples: SampleSetFields): Measurement {
  return {
    id: benchmarkId(benchmark), benchmark, status: 'ok', variant: '', ...samples, summary: summarize(samples.samplesMs),
    flops: 0, bytes: 0, tflops: null, gbps: null, roof: null, roofFraction: null,
    correctness: { passed: true, maxAbsError: 0, relError: 0, tolerance: 0, reference: '' },
    stopReason: null, clockStart: null, clockEnd: null,
  };
}

interface Pair {
  /** The first side as a baseline entry (samples sorted once, judged at every threshold). */
  before: BaselineEntry;
  after: Measurement;
  /** Inconclusive at first, so measured once more. */
  remeasured?: boolean;
}

/**
 * How far the verdicts can be trusted on one benchmark, measured: A/A comparisons of two sample
 * sets of the same build, taken interleaved like `ratchet run --base` takes head and base (with
 * bench's stopping rule on both), give the false-alarm rate and the noise floor; pairs where one
 * side has a busy-wait of known length inside its timed region give the detection rate per
 * slowdown. Every comparison goes through the verdict `ratchet run` uses (cycles check included),
 * at each threshold asked for, on the same sample sets. The A/A guard on kernel identity is left
 * out: here both sides are the same code by design.
 */
export async function calibrateBenchmark(backend: MeasureBackend, benchmark: Benchmark, options: CalibrationOptions): Promise<CalibrationRow[]> {
  const session: BenchmarkSession = await backend.open(benchmark);
  try {
    const check = await session.check();
    // The user's kernel is wrong: exit 1, as a failed check in `run` is, not an internal error.
    if (!check.passed) throw new RatchetError('ERR_RATCHET_KERNEL_FAILED', `${benchmarkId(benchmark)} failed its correctness check, so it cannot be calibrated: ${check.detail}`);
    const total = options.trials + options.slowdownsPct.length * options.sensitivityTrials;
    let done = 0;
    let throttledPairs = 0;
    // A comparison whose side saw only throttled batches is taken again, a few times at most.
    const pair = async (extraUs: number): Promise<Pair> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await takePair(extraUs);
        } catch (error) {
          if (!(error instanceof RatchetError) || error.code !== 'ERR_RATCHET_THROTTLED' || attempt === maxThrottledAttempts) throw error;
          throttledPairs += 1;
        }
      }
    };
    // One comparison: two sample sets taken interleaved on this session, as `ratchet run --base`
    // takes head and base, so drift between the sets cannot pass for (or hide) a slowdown.
    const takePair = async (extraUs: number): Promise<Pair> => {
      const sides = [baseWaitUs, extraUs].map((wait) => ({ session, samples: new SampleSet(backend.device.smClockMHz), extraUs: wait }));
      const taken = (): Pair => {
        const [before, after] = sides.map(({ samples }) => {
          const { samplesMs, samplesClockMHz } = samples.fields();
          return asMeasurement(benchmark, { samplesMs, ...(samplesClockMHz ? { samplesClockMHz } : {}) });
        });
        return { before: baselineEntryFor(before!, 'new', { sha: null, time: '' }), after: after! };
      };
      await sampleInterleaved(sides, options.budget, options.now);
      let result = taken();
      // As `ratchet run` does: what the data could not decide (at any threshold asked) is measured
      // once more with twice the budget, the new samples added to the first.
      if (options.regressionPcts.some((regressionPct) => judgeBenchmark(result.after, result.before, { ...options.thresholds, regressionPct }).verdict === 'inconclusive')) {
        await sampleInterleaved(sides, longerBudget(options.budget), options.now);
        result = { ...taken(), remeasured: true };
      }
      options.onProgress?.((done += 1), total);
      return result;
    };

    const aaPairs: Pair[] = [];
    for (let trial = 0; trial < options.trials; trial += 1) aaPairs.push(await pair(baseWaitUs));
    const medianUs = summarize(aaPairs.at(-1)?.after.samplesMs ?? (await pair(baseWaitUs)).after.samplesMs).median * 1e3;
    const slowdownPairs: Pair[][] = [];
    for (const slowdownPct of options.slowdownsPct) {
      const pairs: Pair[] = [];
      for (let trial = 0; trial < options.sensitivityTrials; trial += 1) pairs.push(await pair(baseWaitUs + (medianUs * slowdownPct) / 100));
      slowdownPairs.push(pairs);
    }
    return options.regressionPcts.map((regressionPct) => ({
      ...judgeCalibration(benchmark, { ...options.thresholds, regressionPct }, aaPairs, options.slowdownsPct, slowdownPairs),
      throttledRetakes: throttledPairs,
    }));
  } finally {
    await session.close();
  }
}

/** The calibration row of one benchmark at one threshold, from its sample-set pairs. */
function judgeCalibration(benchmark: Benchmark, thresholds: Thresholds, aaPairs: Pair[], slowdownsPct: readonly number[], slowdownPairs: Pair[][]): CalibrationRow {
  const verdicts = { regression: 0, improvement: 0, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0 } as Record<Verdict, number>;
  const halfWidths: number[] = [];
  const falseAlarmTrials: number[] = [];
  aaPairs.forEach(({ before, after }, trial) => {
    const result = judgeBenchmark(after, before, thresholds);
    verdicts[result.verdict] += 1;
    if (result.verdict === 'regression') falseAlarmTrials.push(trial);
    if (result.ratioCi95) halfWidths.push(((result.ratioCi95[1] - result.ratioCi95[0]) / 2) * 100);
  });
  const noiseFloorPct = halfWidths.length ? summarize(halfWidths).median : Number.NaN;

  const sensitivity = slowdownsPct.map((slowdownPct, index): SensitivityRow => {
    const pairs = slowdownPairs[index]!;
    const results = pairs.map(({ before, after }) => judgeBenchmark(after, before, thresholds));
    const detected = results.filter((r) => r.verdict === 'regression').length;
    const missed = results.filter((r) => r.verdict !== 'regression').slice(0, missedReasonsKept).map((r) => `${r.verdict}: ${r.reason}`);
    return {
      slowdownPct,
      trials: pairs.length,
      detected,
      rate: pairs.length ? detected / pairs.length : 0,
      measuredSlowdownPct: pairs.length ? summarize(results.map((r) => r.changePct ?? Number.NaN)).median : Number.NaN,
      ...(missed.length ? { missed } : {}),
    };
  });
  const reliable = sensitivity.filter((row) => row.trials > 0 && row.rate >= detectionTarget).map((row) => row.slowdownPct);
  const trials = aaPairs.length;
  return {
    id: benchmarkId(benchmark),
    regressionPct: thresholds.regressionPct,
    remeasured: [...aaPairs, ...slowdownPairs.flat()].filter((p) => p.remeasured).length,
    trials,
    verdicts,
    falseAlarmRate: verdicts.regression / Math.max(trials, 1),
    falseAlarmTrials,
    noiseFloorPct,
    thresholdBelowNoise: thresholds.regressionPct < noiseFloorPct,
    sensitivity,
    smallestReliablePct: reliable.length ? Math.min(...reliable) : null,
  };
}

/**
 * The share of suite comparisons (trial t of every benchmark together, as one `ratchet run`)
 * in which any benchmark flagged a regression: what makes a pull request fail for nothing.
 */
export function suiteFalseAlarmRate(rows: readonly CalibrationRow[]): number {
  const trials = Math.min(...rows.map((row) => row.trials));
  if (!Number.isFinite(trials) || trials === 0) return 0;
  const flagged = new Set(rows.flatMap((row) => row.falseAlarmTrials.filter((t) => t < trials)));
  return flagged.size / trials;
}
