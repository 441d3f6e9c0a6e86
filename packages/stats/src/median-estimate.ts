import { normalQuantile } from './distributions.js';
import { varianceInflation } from './autocorrelation.js';
import { medianCiRank } from './summary.js';
import { ogiveQuantile, tieBiasTicks } from './ties.js';

/** One side's median and how well it is known, for the ratio of medians. */
export interface MedianEstimate {
  /** The median read off the ogive: numpy's median when no two samples tie (ties.ts). */
  median: number;
  /**
   * Standard error of ln(median): the distribution-free 95% interval of the median at the
   * effective sample count, read off the ogive, its log-width over 2 x 1.96.
   */
  seLog: number;
  /** How far the tick alone may move ln(median): tieBiasTicks x resolution / median. */
  tickBoundLog: number;
  /** The timer's step seen in these samples, ms (ties.ts resolutionOf). */
  resolutionMs: number;
  /** Lag-1 rank autocorrelation the interval accounts for. */
  autocorrelation: number;
  n: number;
  /** n over the variance inflation of the autocorrelation: what the samples are worth independent. */
  effectiveN: number;
}

const z975 = normalQuantile(0.975);

/**
 * The median of sorted samples with its standard error on the log scale, honest about ties (the
 * ogive) and about correlated samples (the CI's ranks are those of n / inflation samples).
 */
export function estimateMedian(sorted: Float64Array, autocorrelation: number, resolutionMs: number): MedianEstimate {
  const n = sorted.length;
  const effectiveN = n / varianceInflation(autocorrelation);
  const median = ogiveQuantile(sorted, 0.5, resolutionMs);
  const counted = Math.max(1, Math.floor(effectiveN));
  const k = medianCiRank(counted, 0.95);
  let low: number;
  let high: number;
  if (k < 1) {
    // No 95% interval at this size: the full range, the widest the data can say (and a verdict
    // refuses to rest on so few samples anyway).
    low = sorted[0]!;
    high = sorted[n - 1]!;
  } else {
    const tail = (k - 0.5) / counted;
    // A cell reaches half a tick below the smallest sample: never to zero or below.
    low = Math.max(ogiveQuantile(sorted, tail, resolutionMs), sorted[0]! / 2);
    high = ogiveQuantile(sorted, 1 - tail, resolutionMs);
  }
  return {
    median,
    seLog: Math.log(high / low) / (2 * z975),
    tickBoundLog: (tieBiasTicks * resolutionMs) / median,
    resolutionMs,
    autocorrelation,
    n,
    effectiveN,
  };
}
