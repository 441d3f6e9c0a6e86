import type { Benchmark } from './benchmark.js';
import type { Device } from './device.js';
import type { ImportedFrom, ReportedStatistics } from './imported.js';

/** A closed interval [low, high], in the unit of the value it bounds. */
export type Interval = readonly [low: number, high: number];

/** What @ratchet/stats makes of a set of samples. Times in milliseconds. */
export interface Summary {
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n - 1). */
  std: number;
  /** Coefficient of variation: std / mean. */
  cv: number;
  min: number;
  max: number;
  p05: number;
  p25: number;
  p75: number;
  p95: number;
  p99: number;
  /** 95% confidence interval of the mean (Student t). */
  ci95Mean: Interval;
  /** 95% confidence interval of the median (distribution-free, from order statistics). */
  ci95Median: Interval;
}

/** The kernel's output checked against a reference on fresh random inputs. */
export interface Correctness {
  passed: boolean;
  /** Largest |out - ref| over every output element. */
  maxAbsError: number;
  /** ||out - ref|| / ||ref|| (Frobenius norms). */
  relError: number;
  /** The relative error bound the check used for this dtype. */
  tolerance: number;
  /** What the result was compared with, e.g. `cpu-fp64` or `cuda-reference-fp32`. */
  reference: string;
  /** Why it failed, in words, when it failed (NaN seen, unwritten outputs, error too large). */
  detail?: string;
  /**
   * Sum and sum of |x| over the whole output on the shared inputs of the check's seed: two
   * implementations given the same seed must agree, which `ratchet sota` uses to cross-check peers.
   */
  checksum?: { sum: number; absSum: number };
}

/** How samples were taken, so a reader can tell cold from hot numbers. */
export interface TimingMethod {
  /** `cuda-events` on the GPU, `steady-clock` on the CPU. */
  clock: 'cuda-events' | 'steady-clock';
  warmup: number;
  /** The L2 cache was flushed before each sample (cold). */
  l2Flush: boolean;
  /** Kernel launches per sample replayed from a CUDA Graph (1: a plain launch per sample). */
  launchesPerSample: number;
}

/** What one sampling call asks of a backend (the native addon or any other). */
export interface SampleOptions {
  /** Untimed launches first. */
  warmup: number;
  samples: number;
  /** Flush the L2 cache before each sample (GPU backends). */
  l2Flush: boolean;
  /** Launches per sample (CUDA Graph replay when above 1); times come back per launch. */
  launchesPerSample: number;
  /** A busy-wait of this many microseconds inside each timed sample: a slowdown of known size. */
  extraUs?: number;
}

/** What one sampling call returns. */
export interface SampleBatch {
  /** Per-sample times, per launch. */
  samplesMs: number[];
  /** SM clock (MHz) read right after each sample, aligned with samplesMs; null where the device cannot tell. */
  clockMHz: number[] | null;
}

/** The compiled code a session times: the keys of its build's kernel identity file. */
export interface KernelCode {
  /** `sm_90`, `cpu`, ... */
  arch: string;
  /** The entry point's symbol (the mangled kernel name on a GPU); null when the runtime cannot name it. */
  symbol: string | null;
}

/** SM clock and throttle state read from the device (NVML on a GPU). */
export interface ClockReading {
  smClockMHz: number | null;
  /** NVML's clocks-event reasons, as names (`sw_power_cap`, `hw_thermal_slowdown`, ...). */
  throttleReasons: string[];
}

/**
 * `ok`: checked and timed (an imported measurement: timed by its harness, checked by nothing of
 * Ratchet's). `invalid`: failed its correctness check and was not timed.
 */
export type MeasurementStatus = 'ok' | 'invalid';

/** One benchmark measured once. */
export interface Measurement {
  id: string;
  benchmark: Benchmark;
  status: MeasurementStatus;
  /** Which compiled variant of the kernel ran (autotuning may choose another than the default). */
  variant: string;
  /** Raw per-sample times, milliseconds, in the order taken. Empty when invalid, and when `reported` stands in for them. */
  samplesMs: number[];
  /**
   * SM clock (MHz) read right after each sample, aligned with samplesMs (cycles = ms x MHz x 1000).
   * Absent when the device cannot tell (the CPU backend).
   */
  samplesClockMHz?: number[];
  /**
   * `<arch>:<sha256>` of the machine code timed (native/scripts/kernel-identity.mjs): equal on two
   * builds means the same code. Null when unknown (a build without the identity file).
   */
  kernelIdentity?: string | null;
  /** Null when invalid, and when the harness reported statistics instead of samples (`reported`). */
  summary: Summary | null;
  /**
   * Imported from a harness that kept no samples: the statistics it reported (mean and standard
   * deviation, median and quartiles, or one number). Then samplesMs is empty and summary null, and
   * a comparison rests on these (a summary-based test, or a threshold check with no statistics).
   */
  reported?: ReportedStatistics;
  /** Imported: the benchmark's name in its harness's own terms (`BM_memcpy/64`, `test_sum[1000]`), before it became an id. */
  harnessName?: string;
  flops: number;
  bytes: number;
  /** flops / median time. */
  tflops: number | null;
  /** bytes / median time, GB/s. */
  gbps: number | null;
  /** Which roof binds this shape on this device: compute or memory. Null when peaks are unknown. */
  roof: 'compute' | 'memory' | null;
  /** Attained / peak of the binding roof, 0..1. Null when peaks are unknown. */
  roofFraction: number | null;
  /**
   * Null: not checked by Ratchet. An imported measurement's harness timed the kernel, and nothing
   * of Ratchet's compared its output with a reference; the report says so.
   */
  correctness: Correctness | null;
  /** Why sampling stopped: `converged` (CI tight enough), `max-samples`, `time-budget`. */
  stopReason: 'converged' | 'max-samples' | 'time-budget' | null;
  clockStart: ClockReading | null;
  clockEnd: ClockReading | null;
  /** Samples thrown away because the device reported throttling while they were taken. */
  discardedSamples?: number;
  /**
   * Interleaved measurements only (`run --base`, calibrate, autotune): how many samples were kept
   * from each turn, in order (they add up to samplesMs). Two sides measured together took the
   * same turns, so turn t of one pairs with turn t of the other.
   */
  sampleTurns?: number[];
  /**
   * Launches per sample when the sampler chose more than the budget's to keep a sample far above
   * the timer's tick (MeasureBudget.minSampleTicks); times are still per launch.
   */
  launchesPerSample?: number;
}

/** Where the measured code came from. */
export interface GitInfo {
  sha: string;
  branch: string | null;
  /** Uncommitted changes were present. */
  dirty: boolean;
}

// 2: benchmarks of any problem (docs/problem-contract.md); 1 held attention shapes only and is still read.
export const runResultSchemaVersion = 2;

/** One `ratchet bench`: everything measured, with what is needed to reproduce it. */
export interface RunResult {
  schemaVersion: typeof runResultSchemaVersion;
  /** ISO 8601 time the run started. */
  createdAt: string;
  git: GitInfo | null;
  device: Device;
  timing: TimingMethod;
  measurements: Measurement[];
  /**
   * Present when another harness took these figures and Ratchet read its output (`--from`): which
   * harness, its version, the files. Its device is the one the harness reported.
   */
  imported?: ImportedFrom;
}
