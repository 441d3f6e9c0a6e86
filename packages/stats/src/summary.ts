import { mean as meanOf, sampleVariance } from 'simple-statistics';
import type { Interval, Summary } from '@ratchet/types';
import { binomialHalfPmf, normalQuantile, studentTQuantile } from './distributions.js';
import { ascending, sortedSamples, type SampleValues } from './samples.js';

/** Above this many samples the median's CI ranks come from the normal approximation. */
const exactBinomialLimit = 1_000;

/** The p-quantile of sorted data, linear interpolation between order statistics (R type 7, numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * The rank k of the distribution-free CI of the median of n samples: the largest k such that
 * P(Binomial(n, 1/2) <= k-1) <= (1-confidence)/2 (exact up to 1,000 samples, the normal
 * approximation above). 0 when no such k exists: with fewer than 6 samples at 95%.
 */
export function medianCiRank(n: number, confidence = 0.95): number {
  const key = `${n}:${confidence}`;
  let k = rankCache.get(key);
  if (k === undefined) {
    k = computeMedianCiRank(n, confidence);
    if (rankCache.size > 10_000) rankCache.clear();
    rankCache.set(key, k);
  }
  return k;
}

// Every summary and every comparison asks for the ranks of the same few sample counts.
const rankCache = new Map<string, number>();

function computeMedianCiRank(n: number, confidence: number): number {
  const tail = (1 - confidence) / 2;
  if (n > exactBinomialLimit) return Math.max(0, Math.floor(n / 2 - (normalQuantile(1 - tail) * Math.sqrt(n)) / 2));
  // Grow k while P(X <= k) stays within the tail, summing the pmf once (O(n), not O(n^2)).
  let k = 0;
  let cdf = binomialHalfPmf(0, n);
  while (k + 1 <= n / 2 && cdf <= tail) {
    k += 1;
    cdf += binomialHalfPmf(k, n);
  }
  return k;
}

/**
 * The distribution-free confidence interval of the median: the order statistics x(k) and
 * x(n-k+1) (medianCiRank). With fewer than 6 samples no 95% interval exists and [min, max] is
 * returned: it covers the median with probability 1 - 2^(1-n) only (50% at n = 2, 94% at n = 5),
 * which is why a verdict needs more samples than that (see @ratchet/baseline). Unsorted input is
 * sorted first.
 */
export function medianCi(sortedInput: Float64Array, confidence = 0.95): Interval {
  return medianCiAscending(ascending(sortedInput), confidence);
}

/** medianCi of input known to be ascending and finite (no checking pass). */
export function medianCiAscending(sorted: Float64Array, confidence = 0.95): Interval {
  const n = sorted.length;
  const k = medianCiRank(n, confidence);
  if (k < 1) return [sorted[0]!, sorted[n - 1]!];
  return [sorted[k - 1]!, sorted[n - k]!];
}

/** Everything Ratchet reports about one set of samples (sorted first when it is not). */
export function summarizeSorted(sortedInput: Float64Array): Summary {
  return summarizeAscending(ascending(sortedInput));
}

/** summarizeSorted of input known to be ascending and finite (no checking pass). */
export function summarizeAscending(sorted: Float64Array): Summary {
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
    ci95Median: medianCiAscending(sorted, 0.95),
  };
}

/** summarizeSorted over unsorted samples (milliseconds), each checked to be a positive finite number. */
export function summarize(samplesMs: SampleValues): Summary {
  return summarizeAscending(sortedSamples(samplesMs));
}
