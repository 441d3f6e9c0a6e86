// The test behind a verdict (Mann-Whitney, or the signed-rank test for sides paired turn by turn)
// cannot reach every level with every sample count: with n turns all one way the signed rank is
// as extreme as it gets, and its p-value is still 0.00126 at 12 turns, above the 0.00078 a
// one-sided test of a 16-benchmark pull request is judged at. Whatever the slowdown, such a
// comparison cannot call it: its minimum detectable change is none.
import { varianceInflation } from './autocorrelation.js';
import type { TwoSampleComparison } from './compare.js';
import { logGamma, normalSurvival } from './distributions.js';
import { correlatedVarianceOfU } from './mann-whitney.js';

/** Above this many samples a side, Mann-Whitney's p-values come from the normal approximation (mann-whitney.ts). */
const exactMaxSize = 20;

/** The smallest one-sided p-value of the signed-rank test over `turns` turns, every one the same way. */
export function signedRankFloor(turns: number, inflation = 1): number {
  if (turns < 1) return 1;
  const mean = (turns * (turns + 1)) / 4;
  const sd = Math.sqrt(((turns * (turns + 1) * (2 * turns + 1)) / 24) * Math.max(inflation, 1));
  return normalSurvival((mean - 0.5) / sd);
}

/** The smallest one-sided p-value of Mann-Whitney's test: every sample of one side above every one of the other. */
export function mannWhitneyFloor(n1: number, n2: number, inflation = 1): number {
  if (n1 < 1 || n2 < 1) return 1;
  // Exact: one arrangement of the C(n1 + n2, n1).
  if (n1 <= exactMaxSize && n2 <= exactMaxSize && inflation <= 1) return Math.exp(logGamma(n1 + 1) + logGamma(n2 + 1) - logGamma(n1 + n2 + 1));
  const sd = Math.sqrt(((n1 * n2 * (n1 + n2 + 1)) / 12) * Math.max(inflation, 1));
  return normalSurvival((n1 * n2) / 2 / sd - 0.5 / sd);
}

/** The smallest one-sided p-value the comparison's own test could give its samples, correlation counted. */
export function testFloor(c: TwoSampleComparison): number {
  if (c.paired) return signedRankFloor(c.paired.turns, c.paired.turns / Math.max(c.paired.effectiveTurns, 1e-12));
  const { baseline, current } = c.estimates;
  const inflation = correlatedVarianceOfU(baseline.n, current.n, varianceInflation(baseline.autocorrelation), varianceInflation(current.autocorrelation));
  return mannWhitneyFloor(baseline.n, current.n, inflation);
}
