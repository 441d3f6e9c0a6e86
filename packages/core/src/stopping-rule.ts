import { medianCi } from '@ratchet/stats';
import type { MeasureBudget, Measurement } from '@ratchet/types';

export type StopReason = NonNullable<Measurement['stopReason']>;

/** How precisely the median is known: the 95% CI's larger half-width over the median. */
export function relativeCiHalfWidth(sortedMs: Float64Array): number {
  const n = sortedMs.length;
  const median = n % 2 === 1 ? sortedMs[(n - 1) / 2]! : (sortedMs[n / 2 - 1]! + sortedMs[n / 2]!) / 2;
  const [low, high] = medianCi(sortedMs, 0.95);
  return Math.max(median - low, high - median) / median;
}

/**
 * nvbench's rule: keep sampling until at least `minSamples` samples and `minTimeMs` have gone
 * by, then stop as soon as the median is known to `targetRelCiHalfWidth`; never exceed
 * `maxSamples` or `maxTimeMs`. Returns null while sampling should go on.
 */
export function stopReason(sortedMs: Float64Array, elapsedMs: number, budget: MeasureBudget): StopReason | null {
  const n = sortedMs.length;
  if (n >= budget.maxSamples) return 'max-samples';
  // The time cap yields only once there are enough samples for a CI at all.
  if (elapsedMs >= budget.maxTimeMs && n >= 3) return 'time-budget';
  if (n < budget.minSamples || elapsedMs < budget.minTimeMs) return null;
  return relativeCiHalfWidth(sortedMs) <= budget.targetRelCiHalfWidth ? 'converged' : null;
}

/**
 * How many samples to ask for next: half again what we have (so the overhead of stopping to look
 * stays small), no more than the caps allow given the median seen so far.
 */
export function nextBatchSize(samplesSoFar: number, medianMs: number, elapsedMs: number, budget: MeasureBudget): number {
  if (samplesSoFar === 0) return Math.max(budget.minSamples, 3);
  const byCount = budget.maxSamples - samplesSoFar;
  const byTime = Math.floor((budget.maxTimeMs - elapsedMs) / Math.max(medianMs, 1e-6));
  return Math.max(1, Math.min(Math.ceil(samplesSoFar / 2), byCount, Math.max(byTime, 1)));
}
