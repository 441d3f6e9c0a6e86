import { RatchetError, type BaselineEntry, type Thresholds } from '@ratchet/types';

/**
 * Weight of the prior (Thresholds.runToRunPct) against an entry's own run medians, in degrees of
 * freedom: with 3, four runs of its own count as much as the prior, ten runs three times as much.
 */
const priorDegrees = 3;

/** The run-to-run component of a cross-run comparison. */
export interface RunToRun {
  /** What it adds to the variance of ln(ratio): the baseline's run and this run each have their own offset. */
  varianceLog: number;
  /** The spread per run it comes from, sd in percent of the median. */
  pct: number;
  /** Runs of the entry it was estimated from (1: the prior alone). */
  runs: number;
}

/**
 * A run median as a time: positive and finite. The file reader refuses anything else; an entry
 * built by hand must be refused here too, or ln(0) turns the spread into NaN and the comparison
 * silently loses its run-to-run term (a NaN variance is not > 0).
 */
function checkedMedian(medianMs: unknown, index: number): number {
  if (typeof medianMs === 'number' && Number.isFinite(medianMs) && medianMs > 0) return medianMs;
  throw new RatchetError('ERR_RATCHET_INVALID_BASELINE', `baseline entry: runMedians[${index}].medianMs: expected a positive number (milliseconds) but received ${String(medianMs)}`);
}

function sampleVariance(values: readonly number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
}

/**
 * How much a median moves between runs, for a comparison against a stored entry: the spread of
 * the entry's run medians (ln scale, less what each median's own noise explains) pooled with the
 * configured prior. Two runs of one code on different days, machines or drivers differ by this
 * much whatever the samples say, so it is added to the ratio's variance; leaving it out turned a
 * 1% run-to-run offset into 9% false alarms per benchmark at a 1.5% threshold.
 */
export function runToRunVariance(entry: BaselineEntry, thresholds: Thresholds, withinVarianceLog: number): RunToRun {
  const prior = (thresholds.runToRunPct ?? 0) / 100;
  const logs = (entry.runMedians ?? []).map((run, i) => Math.log(checkedMedian(run.medianMs, i)));
  const degrees = Math.max(logs.length - 1, 0);
  const observed = degrees > 0 ? Math.max(0, sampleVariance(logs) - withinVarianceLog) : 0;
  const pooledDegrees = priorDegrees + degrees;
  const perRun = (priorDegrees * prior * prior + degrees * observed) / pooledDegrees;
  return { varianceLog: 2 * perRun, pct: Math.sqrt(perRun) * 100, runs: Math.max(logs.length, 1) };
}
