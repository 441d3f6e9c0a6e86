import type { Verdict } from './comparison.js';

/** What `ratchet calibrate` measured for one benchmark. */
export interface SensitivityRow {
  slowdownPct: number;
  trials: number;
  /** Judged `regression`. */
  detected: number;
  rate: number;
  /**
   * The slowdown that landed: the median over trials of the measured change (it includes the
   * wait's own jitter). Detection is of this size, not of `slowdownPct`.
   */
  measuredSlowdownPct: number;
  /**
   * Present when the nominal wait was scaled to land nearer the asked size (a probe found it off);
   * bounded to 0.8-1.25, so a wait that lands far off is reported where it landed, not stretched.
   */
  waitScale?: number;
  /** The minimum detectable change these comparisons stated (median over trials, percent); null when most stated none. */
  statedMdcPct?: number | null;
  /**
   * Whether the stated sensitivity held: the landed slowdown is at or past the stated minimum
   * detectable change, and was caught as often as 95% allows at this many trials (its one-sided 99%
   * binomial bound). Null where the landed slowdown is below the stated change: nothing was claimed.
   */
  statedHolds?: boolean | null;
  /** Verdict and reason of the first few trials that were not detected. */
  missed?: string[];
}

export interface CalibrationRow {
  id: string;
  /** The regression threshold these verdicts were judged at, percent. */
  regressionPct: number;
  /** Comparisons (A/A and injected) inconclusive at first and measured once more, as `run` does. */
  remeasured: number;
  /** Comparisons taken again because one side saw only throttled batches (NVML reasons or low clock). */
  throttledRetakes?: number;
  /** A/A: comparisons of the same build with itself, and what they were judged. */
  trials: number;
  verdicts: Record<Verdict, number>;
  /** Trials that flagged a regression: false alarms. */
  falseAlarmRate: number;
  /** Which A/A trials (0-based) flagged one, so suite-wide rates can be computed across benchmarks. */
  falseAlarmTrials: number[];
  /** Median over A/A trials of the 95% CI half-width of the ratio, percent: the smallest change one run can resolve. */
  noiseFloorPct: number;
  /** The configured regression threshold is below the noise floor: verdicts will be inconclusive. */
  thresholdBelowNoise: boolean;
  sensitivity: SensitivityRow[];
  /** Smallest injected slowdown (as asked) detected in at least 95% of trials; null if none was. */
  smallestReliablePct: number | null;
  /** The same as it landed (measuredSlowdownPct); null if none was. */
  smallestReliableLandedPct?: number | null;
  /** The minimum detectable change its A/A comparisons stated (median, percent): what `run --base` would claim here; null when most stated none. */
  mdcPct?: number | null;
}
