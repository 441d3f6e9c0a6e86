import { judgeBenchmark } from '@ratchet/baseline';
import { summarize } from '@ratchet/stats';
import {
  benchmarkId,
  type Benchmark,
  type BaselineEntry,
  type MeasureBudget,
  type Measurement,
  type Thresholds,
  type CalibrationRow,
  type SensitivityRow,
  type Verdict,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { sampleUntilStop } from './measure.js';

/**
 * Both sides of every calibration comparison carry a wait of at least this many microseconds,
 * so the injected slowdown is the difference between two waits, not the cost of an extra launch.
 */
const baseWaitUs = 0.01;
/** A slowdown counts as reliably detected at this rate. */
export const detectionTarget = 0.95;

export interface CalibrationOptions {
  budget: MeasureBudget;
  thresholds: Thresholds;
  /** A/A comparisons per benchmark (consecutive sample sets of one session). */
  trials: number;
  slowdownsPct: readonly number[];
  /** Comparisons per injected slowdown. */
  sensitivityTrials: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => number;
}

function asBaselineEntry(samplesMs: number[]): BaselineEntry {
  return { summary: summarize(samplesMs), samplesMs, variant: '', sha: null, acceptedAt: '', acceptedAs: 'new' };
}

function asMeasurement(benchmark: Benchmark, samplesMs: number[]): Measurement {
  return {
    id: benchmarkId(benchmark), benchmark, status: 'ok', variant: '', samplesMs, summary: summarize(samplesMs),
    flops: 0, bytes: 0, tflops: null, gbps: null, roof: null, roofFraction: null,
    correctness: { passed: true, maxAbsError: 0, relError: 0, tolerance: 0, reference: '' },
    stopReason: null, clockStart: null, clockEnd: null,
  };
}

/**
 * How far the verdicts can be trusted on one benchmark, measured: A/A comparisons of consecutive
 * sample sets of the same build (each taken with bench's stopping rule) give the false-alarm rate
 * and the noise floor; sets with a busy-wait of known length added inside the timed region give
 * the detection rate per slowdown. Every comparison goes through the verdict `ratchet run` uses.
 */
export function calibrateBenchmark(backend: MeasureBackend, benchmark: Benchmark, options: CalibrationOptions): CalibrationRow {
  const session: BenchmarkSession = backend.open(benchmark);
  try {
    const check = session.check();
    if (!check.passed) throw new Error(`${benchmarkId(benchmark)} failed its correctness check: ${check.detail}`);
    const total = options.trials + 1 + options.slowdownsPct.length * options.sensitivityTrials * 2;
    let done = 0;
    const take = (extraUs: number) => {
      const { samplesMs } = sampleUntilStop(session, options.budget, {
        extraUs,
        maxClockMHz: backend.device.smClockMHz,
        ...(options.now ? { now: options.now } : {}),
      });
      options.onProgress?.((done += 1), total);
      return samplesMs;
    };
    const judge = (before: number[], after: number[]) => judgeBenchmark(asMeasurement(benchmark, after), asBaselineEntry(before), options.thresholds);

    const verdicts = { regression: 0, improvement: 0, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0 } as Record<Verdict, number>;
    const halfWidths: number[] = [];
    const falseAlarmTrials: number[] = [];
    let previous = take(baseWaitUs);
    for (let trial = 0; trial < options.trials; trial += 1) {
      const next = take(baseWaitUs);
      const result = judge(previous, next);
      verdicts[result.verdict] += 1;
      if (result.verdict === 'regression') falseAlarmTrials.push(trial);
      if (result.ratioCi95) halfWidths.push(((result.ratioCi95[1] - result.ratioCi95[0]) / 2) * 100);
      previous = next;
    }
    const noiseFloorPct = halfWidths.length ? summarize(halfWidths).median : Number.NaN;

    const medianUs = summarize(previous).median * 1e3;
    const sensitivity = options.slowdownsPct.map((slowdownPct): SensitivityRow => {
      let detected = 0;
      const measured: number[] = [];
      for (let trial = 0; trial < options.sensitivityTrials; trial += 1) {
        const before = take(baseWaitUs);
        const after = take(baseWaitUs + (medianUs * slowdownPct) / 100);
        const result = judge(before, after);
        if (result.verdict === 'regression') detected += 1;
        measured.push(result.changePct ?? Number.NaN);
      }
      return {
        slowdownPct,
        trials: options.sensitivityTrials,
        detected,
        rate: detected / options.sensitivityTrials,
        measuredSlowdownPct: summarize(measured).median,
      };
    });
    const reliable = sensitivity.filter((row) => row.rate >= detectionTarget).map((row) => row.slowdownPct);
    return {
      id: benchmarkId(benchmark),
      trials: options.trials,
      verdicts,
      falseAlarmRate: verdicts.regression / Math.max(options.trials, 1),
      falseAlarmTrials,
      noiseFloorPct,
      thresholdBelowNoise: options.thresholds.regressionPct < noiseFloorPct,
      sensitivity,
      smallestReliablePct: reliable.length ? Math.min(...reliable) : null,
    };
  } finally {
    session.close();
  }
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
