import type { Interval, Summary } from '@ratchet/types';
import { mannWhitneyExactSurvival, normalQuantile, normalSurvival } from './distributions.js';
import { quantileSorted, sortedSamples, summarizeSorted } from './summary.js';

/** Baseline vs current for one benchmark. */
export interface TwoSampleComparison {
  /** median(current) / median(baseline): above 1 is slower. */
  ratio: number;
  /** Confidence interval of that ratio: 95% unless another level was asked for. */
  ratioCi95: Interval;
  /** (ratio - 1) * 100. */
  changePct: number;
  /** Two-sided Mann-Whitney U p-value: could both sample sets come from one distribution? */
  pValue: number;
  baseline: Summary;
  current: Summary;
}

/** Exact U distribution below this size (and without ties); the normal approximation above. */
const exactMaxSize = 20;

/**
 * Two-sided Mann-Whitney U test over sorted samples, ranks from one O(n1 + n2) merge with tie
 * groups (midranks). Asymptotic p-value with tie and continuity corrections, as scipy's
 * `mannwhitneyu(method='asymptotic', use_continuity=True)`; exact for small samples without ties.
 */
export function mannWhitneyU(a: Float64Array, b: Float64Array): { u: number; pValue: number } {
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
  const u = Math.max(u1, n1 * n2 - u1);
  if (n1 <= exactMaxSize && n2 <= exactMaxSize && tieTerm === 0) {
    return { u: u1, pValue: Math.min(1, 2 * mannWhitneyExactSurvival(u, n1, n2)) };
  }
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u: u1, pValue: 1 };
  const z = (u - mu - 0.5) / sigma;
  return { u: u1, pValue: Math.min(1, 2 * normalSurvival(z)) };
}

const z975 = normalQuantile(0.975);

/**
 * The ratio of medians with a 95% CI, analytic (a bootstrap would be too slow at 10,000 samples
 * x 1,000 benchmarks). On the log scale each median's standard error is read off its own
 * distribution-free 95% CI (half-width / 1.96 / median); the two are combined in quadrature, as
 * Price & Bonett (2002) do for a ratio of medians. Coverage is checked by simulation in the tests.
 */
export function compareSorted(baseline: Float64Array, current: Float64Array, options: CompareOptions = {}): TwoSampleComparison {
  const base = reusable(options.baselineSummary, baseline) ?? summarizeSorted(baseline);
  const head = reusable(options.currentSummary, current) ?? summarizeSorted(current);
  const ratio = head.median / base.median;
  const seLog = (s: Summary) => (s.ci95Median[1] - s.ci95Median[0]) / (2 * z975 * s.median);
  const se = Math.hypot(seLog(base), seLog(head));
  const z = options.confidence === undefined ? z975 : normalQuantile(1 - (1 - options.confidence) / 2);
  return {
    ratio,
    ratioCi95: [ratio * Math.exp(-z * se), ratio * Math.exp(z * se)],
    changePct: (ratio - 1) * 100,
    pValue: mannWhitneyU(baseline, current).pValue,
    baseline: base,
    current: head,
  };
}

/**
 * A summary the caller already has, when it describes these sorted samples (same count, minimum,
 * median and maximum): recomputing it costs two passes over every sample of every benchmark.
 */
function reusable(summary: Summary | undefined, sorted: Float64Array): Summary | undefined {
  if (!summary || summary.n !== sorted.length || sorted.length === 0) return undefined;
  const agrees = summary.min === sorted[0] && summary.max === sorted[sorted.length - 1] && summary.median === quantileSorted(sorted, 0.5);
  return agrees ? summary : undefined;
}

export interface CompareOptions {
  /** Summaries already computed for these samples (reused only when they match them). */
  baselineSummary?: Summary;
  currentSummary?: Summary;
  /**
   * Confidence level of `ratioCi95` (default 0.95). Comparing k candidates against one default
   * asks for 1 - 0.05 / k (Bonferroni) so that the chance of any false winner stays under 5%.
   */
  confidence?: number;
}

/** compareSorted over unsorted samples (milliseconds). */
export function compareSamples(baselineMs: readonly number[], currentMs: readonly number[], options: CompareOptions = {}): TwoSampleComparison {
  return compareSorted(sortedSamples(baselineMs), sortedSamples(currentMs), options);
}
