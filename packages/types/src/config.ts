import type { Benchmark } from './benchmark.js';
import type { Backend } from './device.js';
import type { Thresholds } from './comparison.js';

/**
 * When the measurement loop stops sampling one benchmark (nvbench's rule): never before
 * `minSamples` samples and `minTimeMs`; then as soon as the 95% CI of the median is narrower
 * than `targetRelCiHalfWidth` of the median on each side; never after `maxSamples` or `maxTimeMs`.
 */
export interface MeasureBudget {
  /** Untimed launches before the first sample. */
  warmup: number;
  minSamples: number;
  maxSamples: number;
  /** Least time spent sampling one benchmark, ms. */
  minTimeMs: number;
  /** Hard cap on time spent sampling one benchmark, ms. */
  maxTimeMs: number;
  /** Stop once the median's CI half-width / median is under this (0.005 = 0.5%). */
  targetRelCiHalfWidth: number;
  /** Flush the L2 cache before each sample (GPU only). */
  l2Flush: boolean;
  /** Launches per sample, replayed from a CUDA Graph when above 1 (GPU only). */
  launchesPerSample: number;
  /**
   * A sample must span at least this many ticks of the timer (0.5 us for CUDA events): a kernel
   * shorter than that gets more launches per sample, by graph replay, chosen from a probe before
   * sampling and recorded in the measurement. 0 or absent: never (the CPU backend times one call).
   */
  minSampleTicks?: number;
}

/** Where Ratchet reads and writes, relative to the directory holding ratchet.config.json. */
export interface RatchetPaths {
  baseline: string;
  /**
   * The baseline's moves log: one line per move of the baseline (new, improvement, accept,
   * correction). Not the run history (`--history`, `.ratchet/runs` beside this file by default).
   */
  moves: string;
  tuning: string;
  /** The RunResult of the latest run. */
  results: string;
  /** The markdown report of the latest run. */
  report: string;
  /** The JSON comparison of the latest run. */
  comparison: string;
}

/** A problem source that is a program speaking the line protocol (docs/guard-your-kernel.md). */
export interface ProcessSource {
  /** Program and arguments, e.g. ["python3", "bench/softmax.py"]; run from the config's directory. */
  command: string[];
  /** How long one request may take before the process counts as hung, ms (default 120000). */
  timeoutMs?: number;
}

/**
 * How the code under test is built in another checkout (relative mode builds the base ref in a git
 * worktree, and a cross-run regression is confirmed against its baseline commit built so).
 */
export interface BuildSpec {
  /** Program and arguments run at the top of that checkout, e.g. ["make", "-C", "kernels"]. */
  command: string[];
  /**
   * The Ratchet addon that build produces, relative to the top of the checkout, when the checkout
   * builds Ratchet itself (this repository); absent: both sides use the installed addon.
   */
  addon?: string;
}

/** ratchet.config.json after defaults are applied. */
export interface RatchetConfig {
  /** Absent: nothing to build (a process source's scripts, or plugins built by the user). */
  build?: BuildSpec;
  /** Shared libraries built against native/include/ratchet/problem.h (absolute once loaded). */
  plugins: string[];
  processes: ProcessSource[];
  /** The benchmarks measured by default, per backend. */
  suites: Record<Backend, Benchmark[]>;
  thresholds: Thresholds;
  budgets: Record<Backend, MeasureBudget>;
  paths: RatchetPaths;
}

/** ratchet.config.json as written on disk: every section optional, every field in it optional. */
export interface RatchetConfigInput {
  $schema?: string;
  build?: BuildSpec;
  plugins?: string[];
  processes?: ProcessSource[];
  suites?: Partial<Record<Backend, Benchmark[]>>;
  thresholds?: Partial<Thresholds>;
  budgets?: Partial<Record<Backend, Partial<MeasureBudget>>>;
  paths?: Partial<RatchetPaths> & {
    /** @deprecated The moves log's key before it had a name of its own: read as `moves`, with a notice. */
    history?: string;
  };
}
