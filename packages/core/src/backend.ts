import type { Benchmark, ClockReading, Correctness, Device } from '@ratchet/types';

/** What one sampling call asks of a backend. */
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

/** One benchmark's inputs and kernel, held open while the loop samples it. */
export interface BenchmarkSession {
  readonly variant: string;
  /** Fresh random inputs, poisoned output, kernel vs reference. Never times. */
  check(): Correctness;
  /** Per-sample milliseconds. */
  sample(options: SampleOptions): number[];
  clock(): ClockReading;
  close(): void;
}

/**
 * The mechanism the measurement loop drives: the native addon (CPU or CUDA), a peer, or a test
 * double written against real timing. Policy (when to stop, what it means) stays in core.
 */
export interface MeasureBackend {
  readonly device: Device;
  /**
   * `variant` picks a compiled variant (absent: the backend's default for the shape); `seed` is the
   * first seed of the shared input generator, so peers can be given the very same inputs.
   */
  open(benchmark: Benchmark, options?: { variant?: string; seed?: number }): BenchmarkSession;
}
