import { mean as meanOf, sampleVariance } from 'simple-statistics';
import { RatchetError, type Interval, type Summary } from '@ratchet/types';
import { binomialHalfPmf, normalQuantile, studentTQuantile } from './distributions.js';
import { radixSortPositive } from './radix-sort.js';

/** Above this many samples the median's CI ranks come from the normal approximation. */
const exactBinomialLimit = 1_000;

/** A sorted copy as a Float64Array, checked finite. */
export function sortedSamples(samplesMs: readonly number[]): Float64Array {
  if (samplesMs.length === 0) {
    throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', 'cannot summarize an empty set of samples');
  }
  const copy = Float64Array.from(samplesMs);
  let allPositive = true;
  for (const value of copy) {
    if (!Number.isFinite(value)) {
      throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `samples must be finite numbers but one is ${value}`);
    }
    if (!(value > 0)) allPositive = false;
  }
  if (isAscending(copy)) return copy; // baselines store their samples sorted
  // Timings are positive: sort them by bits. Anything else takes the general (slower) sort.
  return allPositive && copy.length > 64 ? radixSortPositive(copy) : copy.sort();
}

function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i += 1) if (values[i - 1]! > values[i]!) return false;
  return true;
}

/** The p-quantile of sorted data, linear interpolation between order statistics (R type 7, numpy's default). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * The distribution-free confidence interval of the median: the order statistics x(k) and
 * x(n-k+1) with k the largest rank such that P(Binomial(n, 1/2) <= k-1) <= (1-confidence)/2.
 * Exact ranks up to 1,000 samples, the normal approximation above. With fewer than 6 samples no
 * such k exists at 95%, and the interval is [min, max].
 */
export function medianCi(sorted: Float64Array, confidence = 0.95): Interval {
  const n = sorted.length;
  const tail = (1 - confidence) / 2;
  let k: number;
  if (n <= exactBinomialLimit) {
    // Grow k while P(X <= k) stays within the tail, summing the pmf once (O(n), not O(n^2)).
    k = 0;
    let cdf = binomialHalfPmf(0, n);
    while (k + 1 <= n / 2 && cdf <= tail) {
      k += 1;
      cdf += binomialHalfPmf(k, n);
    }
  } else {
    k = Math.floor(n / 2 - (normalQuantile(1 - tail) * Math.sqrt(n)) / 2);
  }
  if (k < 1) return [sorted[0]!, sorted[n - 1]!];
  return [sorted[k - 1]!, sorted[n - k]!];
}

/** Everything Ratchet reports about one set of samples. */
export function summarizeSorted(sorted: Float64Array): Summary {
  const n = sorted.length;
  const mean = meanOf(sorted as unknown as number[]);
  const std = n > 1 ? Math.sqrt(sampleVariance(sorted as unknown as number[])) : 0;
  const halfWidth = n > 1 ? studentTQuantile(0.975, n - 1) * (std / Math.sqrt(n)) : 0;
  return {
    n,
    mean,
    median: quantileSorted(sorted, 0.5),
    std,
    cv: mean === 0 ? 0 : std / mean,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    p05: quantileSorted(sorted, 0.05),
    p25: quantileSorted(sorted, 0.25),
    p75: quantileSorted(sorted, 0.75),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    ci95Mean: [mean - halfWidth, mean + halfWidth],
    ci95Median: medianCi(sorted, 0.95),
  };
}

/** summarizeSorted over unsorted samples (milliseconds). */
export function summarize(samplesMs: readonly number[]): Summary {
  return summarizeSorted(sortedSamples(samplesMs));
}
