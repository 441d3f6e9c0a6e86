// The addon's surface, declared: what build/Release/ratchet_native.node exports (src/addon.cc).
import type { Backend, Benchmark, ClockReading, Correctness, Device, KernelCode, ProblemSpec, SampleBatch, SampleOptions, Work } from '@ratchet/types';

export type { SampleOptions };

/** One benchmark held open: inputs allocated, variant chosen. */
export interface BenchmarkSession {
  readonly backend: Backend;
  readonly variant: string;
  readonly device: Device;
  /** Which compiled code this session times (the identity file's keys). */
  readonly kernel: KernelCode;
  /** `<arch>:<sha256>` of that code from the build's kernel-identity.json; null when unknown. */
  readonly kernelIdentity: string | null;
  /** The work of one call: FLOPs and the fewest bytes moved. */
  readonly work: Work;
  /** Fresh random inputs (a new seed each call), output poisoned, kernel vs reference. Never times. */
  check(): Correctness;
  /** Per-sample milliseconds and SM clocks; only after a passing check(). */
  sample(options: SampleOptions): SampleBatch;
  clock(): ClockReading;
  close(): void;
}

export interface OpenOptions {
  /** Device index of the backend (default 0). */
  device?: number;
  /** A variant name from variants(); absent: the default for the shape. */
  variant?: string;
  /** First seed of the shared input generator (docs/peers.md); each check() uses the next. */
  seed?: number;
}

export interface NativeAddon {
  /** The problems this addon can time: its built-ins, and those of every plugin loaded so far. */
  problems(): ProblemSpec[];
  /** Loads a plugin (a shared library built against native/include/ratchet/problem.h); idempotent per path. */
  loadPlugin(path: string): ProblemSpec[];
  compiledBackends(): Backend[];
  /** [] when the backend has no usable device; never throws for "no GPU". */
  devices(backend: Backend): Device[];
  /** Why the backend has no device, in one line; null when it has one. */
  unavailableReason(backend: Backend): string | null;
  /** Variants that can run this shape, default first. */
  variants(backend: Backend, benchmark: Benchmark): string[];
  open(backend: Backend, benchmark: Benchmark, options?: OpenOptions): BenchmarkSession;
}

/** The raw module: sessions without their identity, and the hook that hands it our error class. */
export interface RawAddon extends Omit<NativeAddon, 'open' | 'problems' | 'loadPlugin'> {
  /** Absent in builds from before plugins (a base ref in relative mode). */
  loadPlugin?(path: string): ProblemSpec[];
  open(backend: Backend, benchmark: Benchmark, options?: OpenOptions): Omit<BenchmarkSession, 'kernelIdentity' | 'kernel' | 'work'> & { kernel?: KernelCode };
  setErrorClass(errorClass: new (code: string, message: string) => Error): void;
}
