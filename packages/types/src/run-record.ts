import type { Verdict } from './comparison.js';
import type { Interval, TimingMethod } from './measurement.js';

export const runRecordSchemaVersion = 1;

/** A peer measured in the same session as ours (`ratchet run --peers`). */
export interface RunRecordPeer {
  /** The peer's median time, ms. */
  medianMs: number;
  /** 95% CI of that median, ms. */
  ci95MedianMs: Interval;
}

/**
 * One benchmark of one run, as the run history keeps it: the figures a trend needs, no samples.
 * Parameters stay opaque: the id names the benchmark, `kernel` the problem it belongs to.
 */
export interface RunRecordBenchmark {
  /** The benchmark id (`flash_fwd/fp16/B32_H8_S512_D64`): the key of every series. */
  id: string;
  /** The problem's name (the benchmark's `kernel`). */
  kernel: string;
  /** The benchmark's `dtype` parameter where it has one (the dashboard filters on it). */
  dtype: string | null;
  /** `invalid`: failed its correctness check and was not timed; every figure below is null. */
  status: 'ok' | 'invalid';
  /** The kernel variant that ran. */
  variant: string;
  /**
   * The machine code timed: Measurement.kernelIdentity with its sha256 cut to the first 16 hex
   * digits (`sm_90:3f2a...`, 64 bits: plenty to tell builds apart); null when unknown.
   */
  kernelIdentity: string | null;
  /** Median time per call, ms. */
  medianMs: number | null;
  /** 95% confidence interval of the median, ms. */
  ci95MedianMs: Interval | null;
  /** Samples the median came from (0 when invalid). */
  n: number;
  /** Median SM clock over the samples, MHz; null where the device cannot tell. */
  smClockMHz: number | null;
  /** Work rate at the median: FLOP/s in units of 1e12 and bytes/s in units of 1e9. */
  tflops: number | null;
  gbps: number | null;
  /** Which roof binds (compute: TFLOP/s is the rate that matters; memory: GB/s). */
  roof: 'compute' | 'memory' | null;
  /** Attained / peak of the binding roof, 0..1; null when the device's peaks are unknown. */
  roofFraction: number | null;
  /** The verdict against the baseline, when the run was judged. */
  verdict?: Verdict;
  /** Change of the median against the baseline, percent (positive is slower), when judged. */
  changePct?: number | null;
  /** Peers measured in the same session, by peer name; only the ones that ran and passed. */
  peers?: Record<string, RunRecordPeer>;
  /**
   * An imported figure that is not the median of samples: what medianMs holds instead, in its
   * harness's words (`mean`, `value perf_report wrote`, ...); ci95MedianMs is then null, as no CI
   * was measured. Absent: the median of samples, with its CI.
   */
  statistic?: string;
}

/**
 * One line of the run history (docs/dashboard.md): one run on one device. Every `ratchet run`
 * on main appends one; a few hundred bytes per benchmark.
 */
export interface RunRecord {
  schemaVersion: typeof runRecordSchemaVersion;
  /** The project the run belongs to (`github.com/owner/repo`, from git's origin); null when unknown. */
  project: string | null;
  /** ISO 8601 time the run started (RunResult.createdAt). */
  time: string;
  /** The commit measured; null outside git. */
  commit: string | null;
  branch: string | null;
  /** Uncommitted changes were present: the figures are not those of `commit` alone. */
  dirty: boolean;
  deviceKey: string;
  deviceName: string;
  /** The device's peaks (dense tensor TFLOP/s, GB/s); null when unknown. */
  peakTflops: number | null;
  peakGBps: number | null;
  timing: TimingMethod;
  benchmarks: RunRecordBenchmark[];
}
