import type { Benchmark, ClockReading, Correctness, Device, SampleOptions } from '@ratchet/types';

export type { SampleOptions };

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
