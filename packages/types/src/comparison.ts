import type { Device } from './device.js';
import type { EvidenceLevel, ImportedFrom, ReportedStatistics } from './imported.js';
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
  /**
   * Significance level of the tests that make a change "real" (default 0.05): two-sided, so a
   * change in one direction is called at alpha / 2. With `suiteControl` it holds for a whole run
   * (every benchmark, every look), not for each benchmark alone.
   */
  alpha: number;
  /**
   * How the false-alarm rate of a whole run is held at alpha: `holm` (default), Holm's step-down
   * over every benchmark judged; `none`, each benchmark at alpha by itself (a 10-benchmark suite
   * then fails up to ten times as many unchanged pull requests). Absent: `holm`.
   */
  suiteControl?: 'holm' | 'none';
  /**
   * How much a benchmark's median moves from run to run (different machine, day, driver), as a
   * standard deviation in percent of the median. Comparisons against the committed baseline add it
   * as a variance; once an entry holds medians of several runs (BaselineEntry.runMedians) their
   * spread is used, with this as the prior. Same-session comparisons (interleaved) leave it out.
   * Default 1; absent means 0.
   */
  runToRunPct?: number;
  /**
   * A new benchmark is stored in the baseline only when its samples are this steady: robust cv,
   * (p75 - p25) / 1.349 / median, under this percent (default 10). Otherwise the verdict stays
   * `new` with "not stored yet: unstable (cv 12%)", and a later, steadier run stores it. Absent
   * (thresholds a library caller builds without the config's defaults): no bound.
   */
  newEntryMaxCvPct?: number;
}

/** How a run's verdicts held its false-alarm rate. */
export interface ErrorControl {
  method: 'holm' | 'none';
  /** Thresholds.alpha: the rate for the whole run. */
  alpha: number;
  /** Looks at the data the run may take (2 when inconclusive benchmarks are measured once more): each spends alpha / looks. */
  looks: number;
  /** Benchmarks in the family (those with a comparison). */
  benchmarks: number;
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
  /** GB/s at the current median; absent in comparisons written before it. */
  gbps?: number | null;
  /** Which roof binds the shape: where it is 'memory', GB/s is the rate that matters. */
  roof?: 'compute' | 'memory' | null;
  variant: string | null;
  /**
   * The same comparison in SM cycles (time x clock), when both sides read their clocks. A change
   * in time that does not hold in cycles is the clock's doing, not the code's: never a regression.
   */
  cycles?: CyclesComparison;
  /** Both sides ran the same machine code (equal kernel identities): A/A, never a regression. */
  aa?: boolean;
  /**
   * Relative mode: not measured, since both sides run identical code (equal identities that cover
   * all the code timed, and the same harness): verdict `unchanged`, no figures, no GPU time.
   */
  skipped?: boolean;
  /**
   * The two-sided significance level this benchmark was judged at: alpha over the looks, then
   * Holm's step for its rank in the run.
   */
  level?: number;
  /** The ratio's CI at that level (run-to-run spread included across runs): the interval the verdict read. */
  decisionCi?: Interval;
  /** Lag-1 rank autocorrelation of each side's samples in the order taken; intervals are widened for it. */
  autocorrelation?: { baseline: number; current: number };
  /** What each side's samples are worth as independent ones (n over the autocorrelation's variance inflation). */
  effectiveN?: { baseline: number; current: number };
  /**
   * Same-session comparisons whose sides took turns: the verdict came from the ratio within each
   * turn. How many turns paired, their lag-1 autocorrelation, and what they are worth independent.
   */
  paired?: { turns: number; autocorrelation: number; effectiveTurns: number };
  /** The run-to-run spread included (sd, percent of the median) and the runs of the entry it was estimated from (1: the prior alone). */
  runToRun?: { pct: number; runs: number };
  /** A `new` benchmark too noisy to store (Thresholds.newEntryMaxCvPct): the baseline leaves it out this time. */
  unstable?: boolean;
  /**
   * A/A (the same machine code on both sides), yet the data show a significant change past the
   * threshold: `slower`, the machine drifted; `faster`, the baseline was measured slow, and the
   * ratchet corrects it (a `correction` in the history).
   */
  drift?: 'slower' | 'faster';
  /**
   * What the verdict could rest on, the poorer side deciding (absent: samples, the usual tests).
   * `summary`: a test on reported statistics (the reason names it); `none`: one number a side, so a
   * threshold check with no statistics, never a CI.
   */
  evidence?: EvidenceLevel;
  /** The reported statistics of each side that had no samples (imported: Measurement.reported). */
  reported?: { baseline: ReportedStatistics | null; current: ReportedStatistics | null };
  /** Imported: the benchmark's name in its harness's terms (Measurement.harnessName), e.g. where a pytest test's file is. */
  harnessName?: string;
  /** What this comparison could have caught (its minimum detectable change), and by which rule. */
  sensitivity?: Sensitivity;
}

/**
 * How a slowdown becomes a regression: `interval`, the whole CI past the threshold at the
 * benchmark's level (same-session comparisons, and `ratchet compare`); `confirmation`, across runs
 * an estimate past the threshold is measured again interleaved against the baseline's commit,
 * which decides; `unconfirmable`, across runs with no commit to measure, the whole CI past the
 * threshold plus several run-to-run spreads (@ratchet/baseline unconfirmableSpreads).
 */
export type DetectionRule = 'interval' | 'confirmation' | 'unconfirmable';

/** A comparison's minimum detectable change: the sensitivity it can state. */
export interface Sensitivity {
  /**
   * The smallest slowdown, percent of the baseline median, that this comparison (its spread, its
   * effective samples, its threshold and its level in the run) would have called a regression with
   * 95% probability. Null: its samples allow no verdict at that level at all (too few, or too few
   * for the test to reach the level).
   */
  mdcPct: number | null;
  rule: DetectionRule;
}

/** A whole run's sensitivity: how many comparisons could catch twice their threshold. */
export interface RunSensitivity {
  /** Twice the regression threshold, percent: what the stopping rule samples each comparison to catch. */
  aimPct: number;
  /** Benchmarks with a comparison (new, missing and invalid ones have none). */
  benchmarks: number;
  /** Of those, the ones whose minimum detectable change is at or below aimPct. */
  withinAim: number;
  /** The largest minimum detectable change among those within the aim: the run catches that much on all of them. Null when none is. */
  mdcPct: number | null;
  /** The largest minimum detectable change of all; null when some comparison can reach no verdict at all. */
  worstPct: number | null;
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
  /** How the verdicts held the run's false-alarm rate at alpha. */
  errorControl?: ErrorControl;
  /** The run judged was imported from another harness's output (RunResult.imported): nothing of it was checked by Ratchet. */
  imported?: ImportedFrom;
  /** What the run could have caught (absent in comparisons written before it was stated). */
  sensitivity?: RunSensitivity;
}

/** What a relative run compared against. Which benchmarks ran identical code shows per result (`aa`). */
export interface RelativeInfo {
  baseRef: string;
  baseSha: string;
  /**
   * The gate the run was judged with: a pull request does not set its own, so the base's
   * thresholds, budgets and suite judge it, and what the head's ratchet.config.json changes is
   * reported. Absent: no base version of the config to compare (one kept outside the repository).
   */
  gate?: GateChanges;
  /** What the run measured and skipped, and the time it held the device. Absent in comparisons written before it. */
  cost?: RelativeCost;
}

/**
 * What a relative run cost. Benchmarks whose two sides run identical code are not measured
 * (BenchmarkComparison.skipped), so a pull request costs what it changes, not what the suite holds.
 */
export interface RelativeCost {
  /** Benchmarks judged: measured and skipped together. */
  benchmarks: number;
  /** Not measured: identical code on both sides. */
  skipped: number;
  /** Wall time of the measuring, ms: both sides' checks, turns and re-measures (the GPU time of the run). */
  measureMs: number;
  /** Wall time of the identity checks, ms: each benchmark opened on both sides and closed again, nothing timed. */
  identityMs: number;
  /**
   * Why benchmarks that may run identical code were measured all the same, one line each:
   * `--measure-identical`, a harness that differs between the builds, a build whose identities are
   * unknown or of another architecture, identities that do not cover all the code. Empty: none.
   */
  notes: string[];
}

/** How the head's ratchet.config.json differs from the one whose gate judged the run. */
export interface GateChanges {
  /**
   * Whose config judged: `base`, its ratchet.config.json at baseSha; `defaults`, the base has none
   * and ran with the defaults; `head`, the base's could not be read (a prebuilt base without one).
   */
  judgedWith: 'base' | 'defaults' | 'head';
  /** Thresholds the head sets otherwise, with the value judged with and whether the head's would let more through. */
  thresholds: ThresholdChange[];
  /** Benchmarks of the base's suite that the head's leaves out: measured anyway where the head still runs them. */
  removed: RemovedBenchmark[];
  /** Other sections the head changes (`budgets.cuda`, `build`, `plugins`, `processes`), the base's used all the same. */
  changed: string[];
}

export interface ThresholdChange {
  key: keyof Thresholds;
  /** The value the run was judged with (the base's, or the default there); null: unset. */
  base: number | string | null;
  /** What the head's config sets. */
  head: number | string | null;
  /** The head's value would pass a change the base's fails (a higher regression threshold, a lower alpha, ...). */
  looser: boolean;
}

export interface RemovedBenchmark {
  id: string;
  /** Measured on both sides and judged like the rest; false where the head can no longer run it. */
  measured: boolean;
  /** Why it was not measured. */
  reason?: string;
}
