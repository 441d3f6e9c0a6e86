import type { Interval, Summary } from '@ratchet/types';
import { lag1RankAutocorrelation, varianceInflation } from './autocorrelation.js';
import { normalQuantile } from './distributions.js';
import { correlatedVarianceOfU, mannWhitneyAscending } from './mann-whitney.js';
import { estimateMedian, type MedianEstimate } from './median-estimate.js';
import { pairedEstimate, turnLogRatios, type PairedTurns } from './paired.js';
import { ascending, checkedCopy, sortCheckedWithOrder, type SampleValues } from './samples.js';
import { medianCiAscending, quantileSorted, summarizeAscending } from './summary.js';
import { resolutionOf } from './ties.js';

/** Baseline vs current for one benchmark. */
export interface TwoSampleComparison {
  /** median(current) / median(baseline), medians read off the ogive (ties.ts): above 1 is slower. */
  ratio: number;
  /** Confidence interval of that ratio: 95% unless another level was asked for (ratioInterval for any). */
  ratioCi95: Interval;
  /** (ratio - 1) * 100. */
  changePct: number;
  /** Two-sided Mann-Whitney U p-value (variance inflated for autocorrelated samples). */
  pValue: number;
  /** One-sided Mann-Whitney p-value of "current is slower". */
  pSlower: number;
  /** One-sided Mann-Whitney p-value of "current is faster". */
  pFaster: number;
  /** Standard error of ln(ratio): both medians' in quadrature. */
  seLog: number;
  /** Bound on what the timer's tick can add to |ln(ratio)|, on top of seLog x z. */
  tickBoundLog: number;
  baseline: Summary;
  current: Summary;
  estimates: { baseline: MedianEstimate; current: MedianEstimate };
  /**
   * Present when the sides were paired turn by turn (comparePairedTurns): then ratio, its CI,
   * seLog and the p-values come from the per-turn ratios, not from the two sets as wholes.
   */
  paired?: PairedTurns;
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
  /**
   * Lag-1 rank autocorrelation of a side known from elsewhere (a baseline entry stores its
   * samples sorted, and the value measured when they were taken); null: unknown. Absent:
   * measured from the order of the samples given, unless they are ascending (stored sorted).
   * A side that does not know takes the other side's.
   */
  autocorrelation?: { baseline?: number | null; current?: number | null };
  /**
   * The timer's step of the baseline's samples, where those given stand for others (a baseline
   * entry's digest read back: its spread runs show finer steps than the timer took). Absent: read
   * from the samples (ties.ts resolutionOf).
   */
  baselineResolution?: number;
}

/**
 * The ratio of medians with a CI and Mann-Whitney's test, analytic (a bootstrap would be too slow
 * at 10,000 samples x 1,000 benchmarks). On the log scale each median's standard error is read
 * off its own distribution-free 95% CI (half-width / 1.96), the two combined in quadrature as
 * Price & Bonett (2002) do for a ratio of medians. Three corrections make it hold on any noise:
 * ties of a ticking timer are spread over their tick (ties.ts), correlated samples count as fewer
 * (autocorrelation.ts), and the tick's worst-case bias widens the interval. Coverage is checked by
 * simulation in the tests and in `pnpm bench:stats`.
 */
export function compareSorted(baselineSorted: Float64Array, currentSorted: Float64Array, options: CompareOptions = {}): TwoSampleComparison {
  const known = options.autocorrelation ?? {};
  return compareChecked(ascending(baselineSorted), ascending(currentSorted), known.baseline ?? null, known.current ?? null, options);
}

/** compareSorted over samples in the order taken (milliseconds), each checked positive and finite. */
export function compareSamples(baselineMs: SampleValues, currentMs: SampleValues, options: CompareOptions = {}): TwoSampleComparison {
  const base = side(baselineMs, options.autocorrelation?.baseline);
  const head = side(currentMs, options.autocorrelation?.current);
  return compareChecked(base.sorted, head.sorted, base.autocorrelation, head.autocorrelation, options);
}

/** Samples of one side of an interleaved measurement, with how many it kept from each turn. */
export interface TurnSamples {
  samplesMs: SampleValues;
  turns: readonly number[];
}

/**
 * Two sides measured interleaved (a batch of one, a batch of the other, turn after turn), judged
 * on the ratio within each turn (paired.ts): drift slower than a turn cancels instead of counting
 * as noise. Summaries, per-side estimates and the tick bound are compareSamples'; the ratio is
 * the Hodges-Lehmann estimate of the per-turn ratios (each turn's medians read off the ogive, ties
 * spread over the timer's step), the p-values the signed-rank test's.
 */
export function comparePairedTurns(baseline: TurnSamples, current: TurnSamples, options: CompareOptions = {}): TwoSampleComparison {
  // compareSamples checks every sample first: the per-turn ratios read them as they are.
  const whole = compareSamples(baseline.samplesMs, current.samplesMs, options);
  // Each turn's medians read off the ogive at the timer step the whole side shows (a batch of 8 cannot show it).
  const resolutions = { baseline: whole.estimates.baseline.resolutionMs, current: whole.estimates.current.resolutionMs };
  const paired = pairedEstimate(turnLogRatios(baseline.samplesMs, baseline.turns, current.samplesMs, current.turns, resolutions));
  const ratio = Math.exp(paired.logRatio);
  const seLog = (paired.ci95Log[1] - paired.ci95Log[0]) / (2 * z975);
  const interval = { ratio, seLog, tickBoundLog: whole.tickBoundLog };
  return {
    ...whole,
    ratio,
    ratioCi95: ratioInterval(interval, options.confidence ?? 0.95),
    changePct: (ratio - 1) * 100,
    pValue: Math.min(1, 2 * Math.min(paired.pSlower, paired.pFaster)),
    pSlower: paired.pSlower,
    pFaster: paired.pFaster,
    seLog,
    paired: { turns: paired.turns, autocorrelation: paired.autocorrelation, effectiveTurns: paired.effectiveTurns },
  };
}

const z975 = normalQuantile(0.975);

/** A side as measured: its samples in order and, when it took turns with another side, its turns. */
export interface MeasuredSide {
  samplesMs: SampleValues;
  sampleTurns?: readonly number[];
}

/** comparePairedTurns when both sides carry the same number of turns (they were taken together); null otherwise. */
export function compareTurnByTurn(baseline: MeasuredSide, current: MeasuredSide, options: CompareOptions = {}): TwoSampleComparison | null {
  const [baseTurns, headTurns] = [baseline.sampleTurns, current.sampleTurns];
  if (!baseTurns || !headTurns || baseTurns.length !== headTurns.length) return null;
  return comparePairedTurns({ samplesMs: baseline.samplesMs, turns: baseTurns }, { samplesMs: current.samplesMs, turns: headTurns }, options);
}

/**
 * Two measured sides compared as well as they allow: turn by turn when they took turns together
 * (drift between turns cancels), else as two sample sets (compareSamples).
 */
export function compareSides(baseline: MeasuredSide, current: MeasuredSide, options: CompareOptions = {}): TwoSampleComparison {
  return compareTurnByTurn(baseline, current, options) ?? compareSamples(baseline.samplesMs, current.samplesMs, options);
}

function side(values: SampleValues, known: number | null | undefined): { sorted: Float64Array; autocorrelation: number | null } {
  const { copy, ascending: stored } = checkedCopy(values);
  // Ascending samples were stored sorted: their order says nothing about correlation.
  if (stored) return { sorted: copy, autocorrelation: known ?? null };
  const sorted = sortCheckedWithOrder(copy);
  return { sorted: sorted.sorted, autocorrelation: known === undefined ? lag1RankAutocorrelation(sorted) : known };
}

function compareChecked(baseline: Float64Array, current: Float64Array, baseR: number | null, headR: number | null, options: CompareOptions): TwoSampleComparison {
  const baseSummary = reusable(options.baselineSummary, baseline) ?? summarizeAscending(baseline);
  const headSummary = reusable(options.currentSummary, current) ?? summarizeAscending(current);
  // A side that cannot tell (unknown order, every sample equal) takes the other side's figure.
  const baseResolution = options.baselineResolution ?? resolutionOf(baseline);
  const headResolution = resolutionOf(current);
  const base = estimateMedian(baseline, baseR ?? headR ?? 0, baseResolution || headResolution);
  const head = estimateMedian(current, headR ?? baseR ?? 0, headResolution || baseResolution);
  const ratio = head.median / base.median;
  const seLog = Math.hypot(base.seLog, head.seLog);
  const tickBoundLog = base.tickBoundLog + head.tickBoundLog;
  const inflation = correlatedVarianceOfU(baseline.length, current.length, varianceInflation(base.autocorrelation), varianceInflation(head.autocorrelation));
  const mw = mannWhitneyAscending(baseline, current, inflation);
  const interval = { ratio, seLog, tickBoundLog };
  return {
    ratio,
    ratioCi95: ratioInterval(interval, options.confidence ?? 0.95),
    changePct: (ratio - 1) * 100,
    pValue: mw.pValue,
    pSlower: mw.pSecondLarger,
    pFaster: mw.pSecondSmaller,
    seLog,
    tickBoundLog,
    baseline: baseSummary,
    current: headSummary,
    estimates: { baseline: base, current: head },
  };
}

/**
 * The two-sided CI of the ratio at `confidence`: ln(ratio) +- (z x se + tick bound), se with
 * `extraVarianceLog` (a variance on the log scale, e.g. the spread between runs) added.
 */
export function ratioInterval(c: Pick<TwoSampleComparison, 'ratio' | 'seLog' | 'tickBoundLog'>, confidence: number, extraVarianceLog = 0): Interval {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const halfWidth = z * Math.sqrt(c.seLog * c.seLog + extraVarianceLog) + c.tickBoundLog;
  return [c.ratio * Math.exp(-halfWidth), c.ratio * Math.exp(halfWidth)];
}

/**
 * A summary the caller already has, when it describes these sorted samples: count, extremes,
 * every quantile and the median's CI recomputed here (each a lookup; an edited file cannot narrow
 * a CI). Mean and std are taken as stored: recomputing them costs two passes over every sample of
 * every benchmark, and no verdict reads them.
 */
function reusable(summary: Summary | undefined, sorted: Float64Array): Summary | undefined {
  const n = sorted.length;
  if (!summary || summary.n !== n || n === 0) return undefined;
  const quantiles = [['p05', 0.05], ['p25', 0.25], ['median', 0.5], ['p75', 0.75], ['p95', 0.95], ['p99', 0.99]] as const;
  if (summary.min !== sorted[0] || summary.max !== sorted[n - 1]) return undefined;
  if (!quantiles.every(([field, p]) => summary[field] === quantileSorted(sorted, p))) return undefined;
  const [low, high] = medianCiAscending(sorted, 0.95);
  return summary.ci95Median[0] === low && summary.ci95Median[1] === high ? summary : undefined;
}
