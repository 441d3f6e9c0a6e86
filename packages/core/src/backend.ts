import type { Benchmark, ClockReading, Correctness, Device, SampleBatch, SampleOptions, Work } from '@ratchet/types';

export type { SampleOptions };

/** A value now, or later: the native addon answers at once, a process backend through a pipe. */
export type Awaitable<T> = T | Promise<T>;

/** One benchmark's inputs and kernel, held open while the loop samples it. */
export interface BenchmarkSession {
  readonly variant: string;
  /** What decides what runs (device code, launch geometry, attributes, variant), hashed; null or absent when unknown. */
  readonly kernelIdentity?: string | null;
  /**
   * The identity covers all the code the session times, so equal identities on two builds mean
   * the same work: `run --base` then skips measuring it (identical-code.ts). The native addon's
   * identities always do when known; a process's when its `open` answer says so (the Python
   * helper's default identity). Absent: false.
   */
  readonly identityCoversCode?: boolean;
  /** The work of one call: FLOPs and the fewest bytes it must move (TFLOP/s, GB/s, % of the roof). */
  readonly work: Work;
  /** Fresh random inputs, poisoned output, kernel vs reference. Never times. */
  check(): Awaitable<Correctness>;
  /** Per-sample milliseconds, and the SM clock after each sample where the device can tell. */
  sample(options: SampleOptions): Awaitable<SampleBatch>;
  clock(): Awaitable<ClockReading>;
  close(): Awaitable<void>;
}

/**
 * The mechanism the measurement loop drives: the native addon (CPU or CUDA, built-in problems and
 * plugins), a process speaking the line protocol, or a test double written against real timing.
 * Policy (when to stop, what it means) stays in core.
 */
export interface MeasureBackend {
  readonly device: Device;
  /**
   * `variant` picks a compiled variant (absent: the backend's default for the shape); `seed` is the
   * first seed of the shared input generator, so peers can be given the very same inputs.
   */
  open(benchmark: Benchmark, options?: { variant?: string; seed?: number }): Awaitable<BenchmarkSession>;
}
