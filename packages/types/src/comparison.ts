import type { Device } from './device.js';
import type { GitInfo, Interval, Summary, TimingMethod } from './measurement.js';

export const verdicts = [
  'regression',
  'improvement',
  'unchanged',
  'new',
  'missing',
  'invalid',
  'inconclusive',
] as const;

/**
 * regression: slower past the threshold and statistically real. improvement: faster past its
 * threshold and real. unchanged: neither. new: no baseline yet. missing: in the baseline, not
 * measured. invalid: failed its correctness check. inconclusive: the noise is too large to tell
 * whether the threshold was crossed.
 */
export type Verdict = (typeof verdicts)[number];

/** When a change counts. Percentages are of the baseline median. */
export interface Thresholds {
  /** Slower by more than this is a regression (default 3). */
  regressionPct: number;
  /**
   * The regression threshold of same-session comparisons, where head and base are measured
   * interleaved (`ratchet run --base`, and `ratchet calibrate`, which models it). Their noise is
   * about ten times lower than across runs, so a tighter threshold still raises no false alarms
   * (default 1.5: on the H100, 0 of 2,000 A/A comparisons flagged and a 3% slowdown caught in
   * 100% of trials on every default shape; earlier runs at 2% caught it only 90% on one shape).
   */
  relativeRegressionPct?: number;
  /** Faster by more than this is an improvement (default 5). */
  improvementPct: number;
  /** Significance level of the tests that make a change "real" (default 0.05). */
  alpha: number;
}

/** Baseline vs current for one benchmark. */
export interface BenchmarkComparison {
  id: string;
  verdict: Verdict;
  baseline: Summary | null;
  current: Summary | null;
  /** current median / baseline median: above 1 is slower. Null when either side is absent. */
  ratio: number | null;
  /** 95% confidence interval of that ratio. */
  ratioCi95: Interval | null;
  /** (ratio - 1) * 100: positive is slower. */
  changePct: number | null;
  /** Two-sided Mann-Whitney U p-value of baseline vs current samples. */
  pValue: number | null;
  /** One line saying why this verdict, e.g. "5.2% slower (95% CI 4.1%..6.3%), p < 0.001". */
  reason: string;
  tflops: number | null;
  variant: string | null;
  /**
   * The same comparison in SM cycles (time x clock), when both sides read their clocks. A change
   * in time that does not hold in cycles is the clock's doing, not the code's: never a regression.
   */
  cycles?: CyclesComparison;
  /** Both sides ran the same machine code (equal kernel identities): A/A, never a regression. */
  aa?: boolean;
}

/** Baseline vs current in SM kilocycles per sample. */
export interface CyclesComparison {
  ratio: number;
  ratioCi95: Interval;
  changePct: number;
  pValue: number;
  /** Median SM clock of each side's samples, MHz. */
  baselineClockMHz: number;
  currentClockMHz: number;
}

// 2: benchmarks of any problem (docs/problem-contract.md); 1 held attention shapes only and is still read.
export const comparisonSchemaVersion = 2;

/** A whole run judged against the baseline: what report and ci consume. */
export interface Comparison {
  schemaVersion: typeof comparisonSchemaVersion;
  createdAt: string;
  git: GitInfo | null;
  device: Device;
  timing: TimingMethod;
  thresholds: Thresholds;
  results: BenchmarkComparison[];
  counts: Record<Verdict, number>;
  /** Present in relative mode: the base build measured in the same session, interleaved. */
  relative?: RelativeInfo;
}

/** What a relative run compared against. Which benchmarks ran identical code shows per result (`aa`). */
export interface RelativeInfo {
  baseRef: string;
  baseSha: string;
}
