import { estimateMedian, normalQuantile, resolutionOf } from '@ratchet/stats';
import type { MeasureBudget, Measurement } from '@ratchet/types';
import { sideMeetsAim, type SensitivityAim } from './sensitivity-aim.js';

export type StopReason = NonNullable<Measurement['stopReason']>;

const z975 = normalQuantile(0.975);

/**
 * How precisely the median is known: the half-width of its 95% CI over the median, as the verdict
 * will see it (ties spread over the timer's tick plus the tick's bias, correlated samples counted
 * as fewer: @ratchet/stats estimateMedian). Stopping on the plain order statistics stopped
 * correlated or ticking samples long before the verdict could use them.
 */
export function relativeCiHalfWidth(sortedMs: Float64Array, autocorrelation = 0): number {
  const estimate = estimateMedian(sortedMs, autocorrelation, resolutionOf(sortedMs));
  return Math.expm1(z975 * estimate.seLog + estimate.tickBoundLog);
}

/**
 * nvbench's rule: keep sampling until at least `minSamples` samples and `minTimeMs` have gone
 * by, then stop as soon as the median is known to `targetRelCiHalfWidth` and, given an `aim`,
 * the comparison it is measured for could catch twice its threshold (sensitivity-aim.ts); never
 * exceed `maxSamples` or `maxTimeMs`. Returns null while sampling should go on.
 */
export function stopReason(sortedMs: Float64Array, elapsedMs: number, budget: MeasureBudget, autocorrelation = 0, aim?: SensitivityAim): StopReason | null {
  const n = sortedMs.length;
  const capped = capReason(n, elapsedMs, budget);
  if (capped) return capped;
  if (n < budget.minSamples || elapsedMs < budget.minTimeMs) return null;
  if (relativeCiHalfWidth(sortedMs, autocorrelation) > budget.targetRelCiHalfWidth) return null;
  return !aim || sideMeetsAim(sortedMs, autocorrelation, aim) ? 'converged' : null;
}

/** The caps alone (no CI: cheap), so a loop can check them every batch: max-samples, then time-budget. */
export function capReason(n: number, elapsedMs: number, budget: MeasureBudget): 'max-samples' | 'time-budget' | null {
  if (n >= budget.maxSamples) return 'max-samples';
  // The time cap yields only once there are enough samples for a CI at all.
  if (elapsedMs >= budget.maxTimeMs && n >= 3) return 'time-budget';
  return null;
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
