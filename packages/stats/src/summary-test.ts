import type { Interval } from '@ratchet/types';
import { studentTCdf, studentTQuantile } from './distributions.js';

// What two harness reports can say about a change when neither kept its samples: each side is a
// location (a mean or a median) with a standard error on the log scale, and the change between
// them is judged with Welch's t (unequal variances, Welch-Satterthwaite degrees of freedom). The
// samples behind them are taken as independent: a report of statistics does not say how they
// were correlated, so the test cannot widen for it (the report says the test assumed it).

/** One side known by its statistics: what the log-scale test needs. */
export interface LogLocation {
  /** ln of the mean or median, in ms. */
  log: number;
  /** Standard error of that log. */
  seLog: number;
  /** Degrees of freedom of that standard error (n - 1). */
  dof: number;
  n: number;
}

/**
 * A mean with its standard deviation over n: ln(mean), its standard error by the delta method
 * (coefficient of variation / sqrt(n)).
 */
export function logMean(n: number, meanMs: number, stdMs: number): LogLocation {
  return { log: Math.log(meanMs), seLog: stdMs / meanMs / Math.sqrt(n), dof: Math.max(n - 1, 1), n };
}

/** sqrt(pi / 2): the standard error of a median over that of a mean, for normal samples. */
const medianEfficiency = Math.sqrt(Math.PI / 2);
/** The interquartile range of a normal distribution, in standard deviations. */
const iqrPerSd = 1.349;

/**
 * A median with its quartiles over n: ln(median), its standard error from the quartile spread as
 * a standard deviation (IQR / 1.349), times sqrt(pi / 2) for a median, over sqrt(n). Exact for
 * normal samples; the report names the test so a reader knows it leans on that shape.
 */
export function logMedian(n: number, medianMs: number, p25Ms: number, p75Ms: number): LogLocation {
  const sd = (p75Ms - p25Ms) / iqrPerSd;
  return { log: Math.log(medianMs), seLog: (medianEfficiency * sd) / medianMs / Math.sqrt(n), dof: Math.max(n - 1, 1), n };
}

/** Welch's t on two log locations. */
export interface SummaryComparison {
  /** current / baseline: above 1 is slower. */
  ratio: number;
  /** The ratio's CI at the confidence asked (Student t at the Welch-Satterthwaite dof). */
  ratioCi: Interval;
  changePct: number;
  /** Two-sided p of "no change", and the one-sided p of "slower" and of "faster". */
  pValue: number;
  pSlower: number;
  pFaster: number;
  seLog: number;
  /** Welch-Satterthwaite degrees of freedom. */
  dof: number;
}

/** The interval exp(ln ratio +- t x se) at `confidence`, for a comparison already made. */
export function summaryRatioInterval(c: Pick<SummaryComparison, 'ratio' | 'seLog' | 'dof'>, confidence: number): Interval {
  if (c.seLog === 0) return [c.ratio, c.ratio];
  const half = studentTQuantile(1 - (1 - confidence) / 2, c.dof) * c.seLog;
  return [c.ratio * Math.exp(-half), c.ratio * Math.exp(half)];
}

/** Welch's t on the log scale between a baseline and a current location. */
export function compareLogLocations(baseline: LogLocation, current: LogLocation, confidence = 0.95): SummaryComparison {
  const diff = current.log - baseline.log;
  const ratio = Math.exp(diff);
  const v1 = baseline.seLog ** 2;
  const v2 = current.seLog ** 2;
  const seLog = Math.sqrt(v1 + v2);
  // Welch-Satterthwaite; with no spread on either side, the smaller side's dof (nothing to weigh).
  const dof = seLog === 0 ? Math.min(baseline.dof, current.dof) : (v1 + v2) ** 2 / (v1 ** 2 / baseline.dof + v2 ** 2 / current.dof);
  let pSlower: number;
  let pFaster: number;
  if (seLog === 0) {
    pSlower = diff > 0 ? 0 : 1;
    pFaster = diff < 0 ? 0 : 1;
  } else {
    const t = diff / seLog;
    pSlower = 1 - studentTCdf(t, dof);
    pFaster = studentTCdf(t, dof);
  }
  const base = { ratio, seLog, dof };
  return {
    ...base,
    ratioCi: summaryRatioInterval(base, confidence),
    changePct: (ratio - 1) * 100,
    pValue: Math.min(1, 2 * Math.min(pSlower, pFaster)),
    pSlower,
    pFaster,
  };
}
