import { rememberedStatistics } from '@ratchet/baseline';
import type { CalibrationAtThreshold } from '@ratchet/report';
import { normalQuantile } from '@ratchet/stats';
import type { Benchmark, BenchmarkComparison, CalibrationRow, SensitivityRow, Thresholds, Verdict } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { calibrateBenchmark, calibrationThresholds, judgePairs, type BenchmarkCalibration, type CalibrationOptions, type CalibrationPair } from './calibrate.js';
import { estimateSuite } from './cost.js';
import { sameSessionThresholds } from './relative.js';
import { remeasureLooks } from './remeasure.js';

/** A slowdown counts as reliably detected at this rate. */
export const detectionTarget = 0.95;

/** Reasons of missed detections kept per slowdown, to see why a trial was missed. */
const missedReasonsKept = 3;

/**
 * The median stated minimum detectable change of some comparisons: none (null) counts as past
 * every figure, so the median is null when most stated none.
 */
function medianMdc(results: readonly BenchmarkComparison[]): number | null {
  const stated = results.map((r) => r.sensitivity?.mdcPct ?? Infinity);
  const mid = median(stated);
  return Number.isFinite(mid) ? mid : null;
}

const z99 = normalQuantile(0.99);

/**
 * Whether a stated sensitivity held on one injected slowdown: where the slowdown that landed is at
 * or past the stated change, it must be caught as often as a true 95% allows at this many trials
 * (the one-sided 99% binomial bound below 95%). Null where nothing was claimed for it.
 */
export function statedHolds(landedPct: number, statedMdcPct: number | null, detected: number, trials: number): boolean | null {
  if (statedMdcPct === null || !(landedPct >= statedMdcPct) || trials === 0) return null;
  const bound = detectionTarget - z99 * Math.sqrt((detectionTarget * (1 - detectionTarget)) / trials);
  return detected / trials >= bound;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function emptyVerdicts(): Record<Verdict, number> {
  return { regression: 0, improvement: 0, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0 };
}

/**
 * The calibration of a suite at each regression threshold: every A/A trial t judged as one pull
 * request (trial t of every benchmark together, with the suite-wide control, through the
 * function compare() judges with), which gives each
 * benchmark's false-alarm rate and the suite's (per pull request); and every injected slowdown
 * judged in a pull request whose other benchmarks are their A/A trial t, as a pull request that
 * slows one kernel is. The same sample sets at every threshold. `suiteSize`: benchmarks in the
 * pull request when these are only part of the suite (calibrated in parts); the others count as
 * unchanged, so each benchmark is judged at the level it has in the whole suite.
 */
export function calibrationResults(calibrations: readonly BenchmarkCalibration[], thresholds: Thresholds, regressionPcts: readonly number[], suiteSize = calibrations.length): CalibrationAtThreshold[] {
  const trials = Math.min(...calibrations.map((c) => c.aa.length));
  const family = Math.max(suiteSize, calibrations.length);
  // One pair is judged in many pull requests and at every threshold: its statistics once.
  const statistics = rememberedStatistics();
  return regressionPcts.map((regressionPct) => {
    const judged = calibrationThresholds(thresholds, regressionPct);
    const judge = (pairs: readonly CalibrationPair[]) => judgePairs(pairs, judged, { looks: remeasureLooks, familySize: family, statistics });
    const suites = Number.isFinite(trials) ? Array.from({ length: trials }, (_, t) => judge(calibrations.map((c) => c.aa[t]!))) : [];
    const rows = calibrations.map((c, b) => row(c, b, calibrations, suites, judge, judged));
    const failed = suites.filter((suite) => [...suite.values()].some((r) => r.verdict === 'regression')).length;
    return { regressionPct, suiteSize: family, suiteFalseAlarmRate: suites.length ? failed / suites.length : 0, rows };
  });
}

function row(
  c: BenchmarkCalibration,
  index: number,
  all: readonly BenchmarkCalibration[],
  suites: readonly Map<string, BenchmarkComparison>[],
  judge: (pairs: readonly CalibrationPair[]) => Map<string, BenchmarkComparison>,
  thresholds: Thresholds,
): CalibrationRow {
  const verdicts = emptyVerdicts();
  const falseAlarmTrials: number[] = [];
  const halfWidths: number[] = [];
  suites.forEach((suite, trial) => {
    const result = suite.get(c.id)!;
    verdicts[result.verdict] += 1;
    if (result.verdict === 'regression') falseAlarmTrials.push(trial);
    if (result.ratioCi95) halfWidths.push(((result.ratioCi95[1] - result.ratioCi95[0]) / 2) * 100);
  });
  const noiseFloorPct = median(halfWidths);
  const sensitivity = c.slowdowns.map(({ slowdownPct, waitScale, pairs }): SensitivityRow => {
    // The pull request that slows this kernel: its slowed pair, every other benchmark's A/A pair of the same trial.
    const results = pairs.map((slowed, t) => judge(all.map((other, b) => (b === index ? slowed : other.aa[t % Math.max(other.aa.length, 1)]!))).get(c.id)!);
    const detected = results.filter((r) => r.verdict === 'regression').length;
    const missed = results.filter((r) => r.verdict !== 'regression').slice(0, missedReasonsKept).map((r) => `${r.verdict}: ${r.reason}`);
    const landed = median(results.map((r) => r.changePct ?? Number.NaN));
    const statedMdcPct = medianMdc(results);
    return {
      slowdownPct, trials: pairs.length, detected, rate: pairs.length ? detected / pairs.length : 0,
      measuredSlowdownPct: landed,
      ...(waitScale !== 1 ? { waitScale } : {}),
      statedMdcPct,
      statedHolds: statedHolds(landed, statedMdcPct, detected, pairs.length),
      ...(missed.length ? { missed } : {}),
    };
  });
  const reliable = sensitivity.filter((s) => s.trials > 0 && s.rate >= detectionTarget);
  const pairs = [...c.aa, ...c.slowdowns.flatMap((s) => s.pairs)];
  return {
    id: c.id,
    regressionPct: thresholds.regressionPct,
    remeasured: pairs.filter((p) => p.remeasured).length,
    throttledRetakes: c.throttledRetakes,
    trials: suites.length,
    verdicts,
    falseAlarmRate: verdicts.regression / Math.max(suites.length, 1),
    falseAlarmTrials,
    noiseFloorPct,
    thresholdBelowNoise: thresholds.regressionPct < noiseFloorPct,
    sensitivity,
    smallestReliablePct: reliable.length ? Math.min(...reliable.map((s) => s.slowdownPct)) : null,
    smallestReliableLandedPct: reliable.length ? Math.min(...reliable.map((s) => s.measuredSlowdownPct)) : null,
    mdcPct: medianMdc(suites.map((suite) => suite.get(c.id)!)),
  };
}

/**
 * The share of suite comparisons (trial t of every benchmark together, as one `ratchet run`)
 * in which any benchmark flagged a regression: what makes a pull request fail for nothing.
 */
export function suiteFalseAlarmRate(rows: readonly CalibrationRow[]): number {
  const trials = Math.min(...rows.map((r) => r.trials));
  if (!Number.isFinite(trials) || trials === 0) return 0;
  const flagged = new Set(rows.flatMap((r) => r.falseAlarmTrials.filter((t) => t < trials)));
  return flagged.size / trials;
}

export interface CalibrateSuiteOptions extends Omit<CalibrationOptions, 'onProgress' | 'regressionPcts'> {
  /** Regression thresholds to judge at; default the same-session one (calibration compares interleaved sets). */
  regressionPcts?: readonly number[];
  /** Comparisons taken of the benchmark at `index` so far, of `total`. */
  onProgress?: (index: number, done: number, total: number) => void;
  /** After each benchmark: every calibration so far, judged as suites (the figures cover those measured). */
  onCalibrated: (calibrations: readonly BenchmarkCalibration[], results: CalibrationAtThreshold[]) => Promise<void>;
}

/**
 * Every benchmark calibrated in turn (calibrateBenchmark), judged after each as a pull request of
 * the whole suite would be (calibrationResults): a long calibration stopped midway keeps what it
 * measured. A shape past the limit on one call is refused before any is measured.
 */
export async function calibrateSuite(backend: MeasureBackend, benchmarks: readonly Benchmark[], options: CalibrateSuiteOptions): Promise<CalibrationAtThreshold[]> {
  const regressionPcts = options.regressionPcts ?? [sameSessionThresholds(options.thresholds).regressionPct];
  await estimateSuite(backend, benchmarks, options.budget);
  const calibrations: BenchmarkCalibration[] = [];
  let results: CalibrationAtThreshold[] = [];
  for (const [index, benchmark] of benchmarks.entries()) {
    calibrations.push(await calibrateBenchmark(backend, benchmark, { ...options, regressionPcts, onProgress: (done, total) => options.onProgress?.(index, done, total) }));
    results = calibrationResults(calibrations, options.thresholds, regressionPcts, options.suiteSize);
    await options.onCalibrated(calibrations, results);
  }
  return results;
}
