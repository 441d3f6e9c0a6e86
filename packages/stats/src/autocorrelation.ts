// Samples taken one after another are not always independent: a GPU that stays in one state for a
// while (clock, memory, a neighbour's work) makes consecutive samples alike. Then n samples carry
// the information of fewer, the median's CI and Mann-Whitney's p-value are too confident (at a
// lag-1 autocorrelation of 0.6 a 95% CI covers 76-78%, and MW rejects 31% of true nulls). The
// autocorrelation is measured on the ranks (robust to outliers and ties, and it is the ranks that
// both the median's CI and MW use) and turned into a variance inflation as for an AR(1) process.

import type { SortedWithOrder } from './samples.js';

/** Beyond this the inflation would be unbounded; 0.9 already means 19x the variance. */
const maxAutocorrelation = 0.9;

// Ranks are needed only inside one call: one buffer, grown as needed, spares the collector a
// 10,000-sample array per benchmark judged.
let scratch = new Float64Array(0);

/**
 * Lag-1 autocorrelation of the ranks of samples in the order they were taken (midranks for ties),
 * from the sort that put them in order: `order[j]` is the input index of the j-th smallest.
 * 0 for fewer than 3 samples or when every sample is the same.
 */
export function lag1RankAutocorrelation({ sorted, order }: SortedWithOrder): number {
  const n = sorted.length;
  if (n < 3) return 0;
  if (scratch.length < n) scratch = new Float64Array(n);
  const ranks = scratch;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end += 1;
    const midrank = (start + end + 1) / 2;
    for (let j = start; j < end; j += 1) ranks[order[j]!] = midrank;
    start = end;
  }
  const mean = (n + 1) / 2;
  let lagged = 0;
  let squares = 0;
  let previous = ranks[0]! - mean;
  squares += previous * previous;
  for (let i = 1; i < n; i += 1) {
    const current = ranks[i]! - mean;
    lagged += previous * current;
    squares += current * current;
    previous = current;
  }
  return squares === 0 ? 0 : lagged / squares;
}

/**
 * How much the variance of a rank statistic (the median, Mann-Whitney's U) grows with lag-1
 * autocorrelation r: (1 + r) / (1 - r), AR(1)'s sum over all lags. Negative r is taken as 0 (never
 * narrower than independent samples); r is capped at 0.9.
 */
export function varianceInflation(autocorrelation: number): number {
  const r = Math.min(Math.max(autocorrelation, 0), maxAutocorrelation);
  return (1 + r) / (1 - r);
}
