import { compareLogLocations, logMean, logMedian, summaryRatioInterval, type LogLocation, type SummaryComparison } from '@ratchet/stats';
import {
  centralMs,
  type BaselineEntry,
  type BenchmarkComparison,
  type EvidenceLevel,
  type Measurement,
  type ReportedStatistics,
  type Summary,
  type Thresholds,
  type Verdict,
} from '@ratchet/types';
import { entrySamples } from './digest.js';
import { minEffectiveSamples } from './evidence.js';
import { runToRunVariance } from './run-to-run.js';
import { suiteLevels } from './suite-control.js';

// Verdicts where at least one side has no samples (imported from a harness that kept statistics
// or one number). The poorer side decides how much can be said:
//   summary   both sides known by the same statistics (the side with samples reduced to them):
//             Welch's t on the log scale, judged by the rule samples are judged by (the whole CI
//             past the threshold and the test agreeing), at the benchmark's level in the run;
//   none      one number on a side: the change is checked against the thresholds, and no more.
//             No CI, no p-value: nothing here can tell a change from noise, and the reason says so.

/** A side as the comparison sees it: samples with their summary, or what a harness reported. */
interface Side {
  samplesMs: readonly number[];
  summary: Summary | null;
  reported?: ReportedStatistics;
}

/** A baseline entry as a side: its samples read back from the digest where it keeps one. */
function entrySide(entry: BaselineEntry): Side {
  if (entry.reported) return { samplesMs: [], summary: entry.summary, reported: entry.reported };
  return { samplesMs: Array.from(entrySamples(entry).samplesMs), summary: entry.summary };
}

/** Whether this pair needs the reported path: a side without samples. */
export function needsReportedJudgement(measurement: Measurement, entry: BaselineEntry): boolean {
  return Boolean(measurement.reported || entry.reported);
}

/** How much a pair of sides can support. */
export function evidenceLevel(baseline: Side, current: Side): EvidenceLevel {
  if (baseline.reported?.kind === 'single' || current.reported?.kind === 'single') return 'none';
  return baseline.reported || current.reported ? 'summary' : 'samples';
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** A side's statistics of `kind`: as reported, or computed from its samples; null when it reported another kind. */
function statisticsOf(side: Side, kind: 'mean-std' | 'median-iqr'): ReportedStatistics | null {
  if (side.reported) return side.reported.kind === kind ? side.reported : null;
  const samples = side.samplesMs;
  if (kind === 'median-iqr') return { kind, n: samples.length, medianMs: side.summary!.median, p25Ms: side.summary!.p25, p75Ms: side.summary!.p75 };
  const m = mean(samples);
  const variance = samples.length > 1 ? samples.reduce((sum, v) => sum + (v - m) ** 2, 0) / (samples.length - 1) : 0;
  return { kind, n: samples.length, meanMs: m, stdMs: Math.sqrt(variance) };
}

function location(stats: ReportedStatistics): LogLocation {
  return stats.kind === 'mean-std' ? logMean(stats.n, stats.meanMs, stats.stdMs) : stats.kind === 'median-iqr' ? logMedian(stats.n, stats.medianMs, stats.p25Ms, stats.p75Ms) : { log: Math.log(stats.valueMs), seLog: 0, dof: 1, n: 1 };
}

/** A reported side's spread as a coefficient of variation, percent (the steadiness a new entry needs); null for one number. */
export function reportedCvPct(stats: ReportedStatistics): number | null {
  if (stats.kind === 'mean-std') return (stats.stdMs / stats.meanMs) * 100;
  if (stats.kind === 'median-iqr') return ((stats.p75Ms - stats.p25Ms) / 1.349 / stats.medianMs) * 100;
  return null;
}

/** What one pair weighs, before its level in the run is known. */
export interface ReportedEvidence {
  measurement: Measurement;
  entry: BaselineEntry;
  level: EvidenceLevel;
  /** The summary test (level `summary`, enough samples a side); null otherwise. */
  test: SummaryComparison | null;
  /** Why no test could be made (too few, statistics of two kinds); null when one was. */
  untestable: string | null;
  /** The run-to-run spread added across runs (sd, percent), as samples judged across runs get it. */
  runToRun: { pct: number; runs: number; varianceLog: number } | null;
  describe: string;
}

function testName(kind: 'mean-std' | 'median-iqr', base: ReportedStatistics, head: ReportedStatistics): string {
  const what = kind === 'mean-std' ? 'log means (from mean and standard deviation)' : 'log medians (from median and quartiles, as for normal samples)';
  const n = (s: ReportedStatistics) => (s.kind === 'single' ? 1 : s.n);
  return `summary-based test: Welch's t on ${what}, n = ${n(base)} and ${n(head)}, samples taken as independent`;
}

/** Weighs one pair with a side that has no samples (compare() judges it at its level in the run). */
export function weighReported(measurement: Measurement, entry: BaselineEntry, thresholds: Thresholds): ReportedEvidence {
  const baseSide = entrySide(entry);
  const level = evidenceLevel(baseSide, measurement);
  const none = { measurement, entry, level, test: null, runToRun: null };
  if (level === 'none') return { ...none, untestable: null, describe: 'no statistics: one number a side, a threshold check only' };
  const kind = (entry.reported ?? measurement.reported)!.kind as 'mean-std' | 'median-iqr';
  const base = statisticsOf(baseSide, kind);
  const head = statisticsOf(measurement, kind);
  if (!base || !head) {
    const other = (entry.reported?.kind === kind ? measurement.reported : entry.reported)!.kind;
    return { ...none, untestable: `the two sides reported different statistics (${kind} and ${other}): nothing to compare them by`, describe: 'summary-based: no test' };
  }
  const describe = testName(kind, base, head);
  const few = [base, head].find((s) => s.kind !== 'single' && s.n < minEffectiveSamples);
  if (few && few.kind !== 'single') return { ...none, untestable: `too few samples behind the reported statistics: n = ${few.n} (a verdict needs ${minEffectiveSamples} per side)`, describe };
  const [b, h] = [location(base), location(head)];
  const spread = runToRunVariance(entry, thresholds, (b.seLog ** 2 + h.seLog ** 2) / 2);
  const varianceLog = spread.varianceLog;
  const withSpread = (side: LogLocation) => ({ ...side, seLog: Math.sqrt(side.seLog ** 2 + varianceLog / 2) });
  const test = compareLogLocations(varianceLog > 0 ? withSpread(b) : b, varianceLog > 0 ? withSpread(h) : h);
  return { ...none, test, untestable: null, describe, runToRun: varianceLog > 0 ? { pct: spread.pct, runs: spread.runs, varianceLog } : null };
}

const signedPct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** The rule samples are judged by, on the summary test's CI at `level`. */
function readTest(test: SummaryComparison, ci: readonly [number, number], level: number, thresholds: Thresholds): { verdict: Verdict; why: string } {
  const slower = 1 + thresholds.regressionPct / 100;
  const faster = 1 - thresholds.improvementPct / 100;
  const [low, high] = ci;
  if (low > slower) {
    return test.pSlower < level / 2 ? { verdict: 'regression', why: `the whole CI is past the ${thresholds.regressionPct}% threshold` } : { verdict: 'inconclusive', why: `the CI is past the threshold but the test does not call it slower (one-sided ${pText(test.pSlower)})` };
  }
  if (high < faster) {
    return test.pFaster < level / 2 ? { verdict: 'improvement', why: `the whole CI is past the ${thresholds.improvementPct}% threshold` } : { verdict: 'inconclusive', why: `the CI is past the threshold but the test does not call it faster (one-sided ${pText(test.pFaster)})` };
  }
  if (low >= faster && high <= slower) return { verdict: 'unchanged', why: `the whole CI is within -${thresholds.improvementPct}%..+${thresholds.regressionPct}%` };
  return { verdict: 'inconclusive', why: `the CI reaches across the ${high > slower ? thresholds.regressionPct : thresholds.improvementPct}% threshold; more repetitions of the harness would narrow it` };
}

/** One number a side, each perhaps rounded: the change and the range the rounding allows. */
function thresholdCheck(e: ReportedEvidence, thresholds: Thresholds): { verdict: Verdict; ratio: number; why: string } {
  const value = (side: Pick<Side, 'summary' | 'reported'>) => (side.reported?.kind === 'single' ? { ms: side.reported.valueMs, off: side.reported.roundingMs, what: side.reported.statistic } : { ms: centralMs(side)!, off: 0, what: side.reported ? (side.reported.kind === 'mean-std' ? 'mean' : 'median') : 'median' });
  const base = value(e.entry);
  const head = value(e.measurement);
  const ratio = head.ms / base.ms;
  const low = (head.ms - head.off) / (base.ms + base.off);
  const high = base.ms - base.off > 0 ? (head.ms + head.off) / (base.ms - base.off) : Infinity;
  const slower = 1 + thresholds.regressionPct / 100;
  const faster = 1 - thresholds.improvementPct / 100;
  const range = `${signedPct(low)}..${high === Infinity ? 'any' : signedPct(high)}`;
  const rounding = base.off > 0 || head.off > 0 ? ` (${range} with the numbers' rounding)` : '';
  const what = base.what === head.what ? base.what : `${base.what} against ${head.what}`;
  const tail = `no statistics: one number a side (${what}), a threshold check only, which cannot tell a change from noise (ratchet run --command repeats the harness for a test)`;
  let verdict: Verdict;
  let why: string;
  if (low > slower) [verdict, why] = ['regression', `past the ${thresholds.regressionPct}% threshold${rounding}`];
  else if (high < faster) [verdict, why] = ['improvement', `past the ${thresholds.improvementPct}% threshold${rounding}`];
  else if (low >= faster && high <= slower) [verdict, why] = ['unchanged', `within -${thresholds.improvementPct}%..+${thresholds.regressionPct}%${rounding}`];
  else [verdict, why] = ['inconclusive', `the numbers' rounding reaches across a threshold (${range})`];
  return { verdict, ratio, why: `${why}; ${tail}` };
}

function comparisonOf(e: ReportedEvidence, verdict: Verdict, reason: string, extra: Partial<BenchmarkComparison>): BenchmarkComparison {
  const m = e.measurement;
  return {
    id: m.id, verdict, baseline: e.entry.summary, current: m.summary, ratio: null, ratioCi95: null, changePct: null, pValue: null, reason,
    tflops: m.tflops, gbps: m.gbps, roof: m.roof, variant: m.variant,
    evidence: e.level, reported: { baseline: e.entry.reported ?? null, current: m.reported ?? null },
    ...extra,
  };
}

/** The verdict of one weighed pair at a two-sided `level`. */
export function decideReported(e: ReportedEvidence, thresholds: Thresholds, level: number): BenchmarkComparison {
  if (e.level === 'none') {
    const check = thresholdCheck(e, thresholds);
    const direction = check.ratio >= 1 ? `${((check.ratio - 1) * 100).toFixed(1)}% slower` : `${((1 - check.ratio) * 100).toFixed(1)}% faster`;
    return comparisonOf(e, check.verdict, `${direction}, ${check.why}`, { ratio: check.ratio, changePct: (check.ratio - 1) * 100 });
  }
  if (!e.test) return comparisonOf(e, 'inconclusive', `${e.untestable}; ${e.describe}`, {});
  const { test } = e;
  const decisionCi = summaryRatioInterval(test, 1 - level);
  const read = readTest(test, decisionCi, level, thresholds);
  const direction = test.ratio >= 1 ? `${test.changePct.toFixed(1)}% slower` : `${(-test.changePct).toFixed(1)}% faster`;
  const confidence = `${Number((100 * (1 - level)).toFixed(3))}%`;
  const spread = e.runToRun ? `; run-to-run spread ${e.runToRun.pct.toFixed(1)}% included (${e.runToRun.runs > 1 ? `from the entry's ${e.runToRun.runs} runs` : 'assumed: the entry holds one run'})` : '';
  return comparisonOf(e, read.verdict, `${direction} (${confidence} CI ${signedPct(decisionCi[0])}..${signedPct(decisionCi[1])}), ${pText(test.pValue)}, ${read.why}; ${e.describe}${spread}`, {
    ratio: test.ratio, ratioCi95: summaryRatioInterval(test, 0.95), changePct: test.changePct, pValue: test.pValue, level, decisionCi,
    ...(e.runToRun ? { runToRun: { pct: e.runToRun.pct, runs: e.runToRun.runs } } : {}),
  });
}

/**
 * Every pair judged at its level in the run: the summary tests are ranked with Holm's step among
 * themselves in a family counted with the rest of the run (`familySize`), which is never more
 * lenient than one ranking of all; threshold checks have no p-value and are not in the family.
 */
export function judgeReported(pairs: readonly ReportedEvidence[], thresholds: Thresholds, looks: number, familySize: number): BenchmarkComparison[] {
  const tested = pairs.filter((e) => e.test !== null);
  const levels = suiteLevels(tested.map((e) => Math.min(1, 2 * Math.min(e.test!.pSlower, e.test!.pFaster))), thresholds, looks, familySize);
  const levelOf = new Map(tested.map((e, i) => [e, levels[i]!]));
  return pairs.map((e) => decideReported(e, thresholds, levelOf.get(e) ?? thresholds.alpha / looks));
}

/** A new benchmark with no samples: stored when its reported spread is steady enough, one number always (its spread is unknown, and said so). */
export function newReportedResult(m: Measurement, thresholds: Thresholds): Partial<BenchmarkComparison> {
  const stats = m.reported!;
  const cv = reportedCvPct(stats);
  const bound = thresholds.newEntryMaxCvPct;
  const unstable = cv !== null && bound !== undefined && cv > bound;
  const reason = unstable
    ? `new, not stored yet: unstable (cv ${cv.toFixed(1)}% > ${bound}%, from the reported statistics); a steadier run will store it`
    : cv === null ? 'no baseline yet for this device; one number, so its noise is unknown' : 'no baseline yet for this device';
  return {
    reason, current: null, tflops: m.tflops, gbps: m.gbps, roof: m.roof, variant: m.variant,
    evidence: stats.kind === 'single' ? 'none' : 'summary', reported: { baseline: null, current: stats },
    ...(unstable ? { unstable: true } : {}),
  };
}
