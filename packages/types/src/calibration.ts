import type { Verdict } from './comparison.js';

/** What `ratchet calibrate` measured for one benchmark. */
export interface SensitivityRow {
  slowdownPct: number;
  trials: number;
  /** Judged `regression`. */
  detected: number;
  rate: number;
  /** The slowdown actually injected, from the medians (it includes the wait's own jitter). */
  measuredSlowdownPct: number;
  /** Present when the nominal wait was scaled to land at the asked size (a probe found it off). */
  waitScale?: number;
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
  /** Smallest injected slowdown detected in at least 95% of trials; null if none was. */
  smallestReliablePct: number | null;
}
