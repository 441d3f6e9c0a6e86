import type { Benchmark, ClockReading, Correctness, Device, SampleBatch, SampleOptions } from '@ratchet/types';

export type { SampleOptions };

/** One benchmark's inputs and kernel, held open while the loop samples it. */
export interface BenchmarkSession {
  readonly variant: string;
  /** `<arch>:<sha256>` of the machine code timed; null or absent when unknown. */
  readonly kernelIdentity?: string | null;
  /** Fresh random inputs, poisoned output, kernel vs reference. Never times. */
  check(): Correctness;
  /** Per-sample milliseconds, and the SM clock after each sample where the device can tell. */
  sample(options: SampleOptions): SampleBatch;
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
