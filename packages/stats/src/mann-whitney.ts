import { mannWhitneyExactSurvival, normalSurvival } from './distributions.js';
import { ascending } from './samples.js';

/** Exact U distribution below this size (and without ties); the normal approximation above. */
const exactMaxSize = 20;

/** What Mann-Whitney says about two sample sets a and b. */
export interface MannWhitney {
  /** U of a: pairs (a_i, b_j) with a_i > b_j, ties counted half. */
  u: number;
  /** Two-sided p-value: could both sets come from one distribution? */
  pValue: number;
  /** One-sided p-value of "b tends to be larger than a" (for timings: b is slower). */
  pSecondLarger: number;
  /** One-sided p-value of "b tends to be smaller than a". */
  pSecondSmaller: number;
}

/**
 * Mann-Whitney U test over samples (sorted first when they are not), ranks from one O(n1 + n2)
 * merge with tie groups (midranks). Asymptotic p-values with tie and continuity corrections, as
 * scipy's `mannwhitneyu(method='asymptotic', use_continuity=True)`; exact for small samples
 * without ties. `inflation` multiplies the variance of U for correlated samples
 * (correlatedVarianceOfU); above 1 the exact distribution no longer applies and the normal one is used.
 */
export function mannWhitneyU(sortedA: Float64Array, sortedB: Float64Array, inflation = 1): MannWhitney {
  return mannWhitneyAscending(ascending(sortedA), ascending(sortedB), inflation);
}

/** mannWhitneyU of input known to be ascending and finite (no checking pass). */
export function mannWhitneyAscending(a: Float64Array, b: Float64Array, inflation = 1): MannWhitney {
  const n1 = a.length;
  const n2 = b.length;
  const n = n1 + n2;
  let i = 0;
  let j = 0;
  let rankSumA = 0;
  let tieTerm = 0;
  let rank = 1;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    let inA = 0;
    let inB = 0;
    while (i < n1 && a[i] === value) {
      i += 1;
      inA += 1;
    }
    while (j < n2 && b[j] === value) {
      j += 1;
      inB += 1;
    }
    const t = inA + inB;
    rankSumA += inA * (rank + (t - 1) / 2);
    tieTerm += t * t * t - t;
    rank += t;
  }
  const u1 = rankSumA - (n1 * (n1 + 1)) / 2;
  let pSecondLarger: number;
  let pSecondSmaller: number;
  if (n1 <= exactMaxSize && n2 <= exactMaxSize && tieTerm === 0 && inflation <= 1) {
    // b larger means few pairs with a > b: P(U <= u1) = P(U >= n1 n2 - u1) by symmetry.
    pSecondLarger = mannWhitneyExactSurvival(n1 * n2 - u1, n1, n2);
    pSecondSmaller = mannWhitneyExactSurvival(u1, n1, n2);
  } else {
    const mu = (n1 * n2) / 2;
    const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) * Math.max(inflation, 1));
    if (sigma === 0) return { u: u1, pValue: 1, pSecondLarger: 1, pSecondSmaller: 1 };
    pSecondLarger = normalSurvival((mu - u1 - 0.5) / sigma);
    pSecondSmaller = normalSurvival((u1 - mu - 0.5) / sigma);
  }
  return { u: u1, pValue: Math.min(1, 2 * Math.min(pSecondLarger, pSecondSmaller)), pSecondLarger, pSecondSmaller };
}

/**
 * The variance inflation of U when each set is autocorrelated: U - n1 n2 / 2 is, to first order,
 * n2 times a sum over a minus n1 times a sum over b of F(x) - 1/2, so
 * Var U = n1 n2 (n2 tauA + n1 tauB) / 12 against n1 n2 (n1 + n2) / 12 for independent samples.
 */
export function correlatedVarianceOfU(n1: number, n2: number, inflationA: number, inflationB: number): number {
  return (n2 * inflationA + n1 * inflationB) / (n1 + n2);
}

