// The addon's surface, declared: what build/Release/ratchet_native.node exports (src/addon.cc,
// surface version 5; compat.ts presents builds of earlier versions as this one), and what
// native/lib makes of it (docs/problem-contract.md).
import type { Backend, Benchmark, ClockReading, Correctness, Device, KernelCode, ProblemSpec, SampleBatch, SampleOptions, Work } from '@ratchet/types';

export type { SampleOptions };

/** One kernel node of a launch captured into a CUDA graph: what decides how its code runs. */
export interface KernelLaunch {
  /** Mangled name (cuFuncGetName); null when the driver cannot name it. */
  name: string | null;
  grid: [number, number, number];
  block: [number, number, number];
  /** Cluster dimensions of the launch; [0, 0, 0] when it sets none. */
  cluster: [number, number, number];
  dynamicSmemBytes: number;
  /** Function attributes by name: registers, staticSmemBytes, maxDynamicSmemBytes, localBytes, ... */
  attributes: Record<string, number>;
}

/** One benchmark held open: its problem's instance set up, a variant chosen. */
export interface BenchmarkSession {
  readonly backend: Backend;
  readonly variant: string;
  readonly device: Device;
  /** Which compiled code this session times (the identity file's keys); CUDA: the first kernel launched. */
  readonly kernel: KernelCode;
  /** CUDA: the kernels one launch enqueues, captured once after setup; null on a CPU (or when capture failed). */
  readonly launches: KernelLaunch[] | null;
  /** CUDA: the kind of every node of that captured launch, in graph order (kernel, memset, memcpy, ...). */
  readonly graphNodes: string[] | null;
  /**
   * `<arch>:<sha256>` over everything that decides what runs (identity.ts): the variant, and each
   * launched kernel's device-code hash, grid, block, cluster, dynamic shared memory and
   * attributes (a CPU: the function's code hash). Null when any part is unknown: never A/A then.
   */
  readonly kernelIdentity: string | null;
  /** Whether kernelIdentity covers all the code the session times: true whenever it is known. */
  readonly identityCoversCode: boolean;
  /** The work of one call: FLOPs and the fewest bytes moved (TFLOP/s, GB/s, % of the roof). */
  readonly work: Work;
  /**
   * Fresh inputs from the next seed, output poisoned, one launch, the problem's reference. Never
   * times. Runs on the session's own thread (every call of a session does, in the order made): the
   * event loop keeps running meanwhile; a failure rejects with a RatchetError.
   */
  check(): Promise<Correctness>;
  /**
   * Per-sample milliseconds and SM clocks; only after a passing check() (one asked before, awaited
   * or not). Off the main thread like check(); one batch at a time in the process, whichever
   * session asks, so two batches never time each other.
   */
  sample(options: SampleOptions): Promise<SampleBatch>;
  /** The SM clock and throttle reasons now, at once (NVML; a CPU has none to read). */
  clock(): ClockReading;
  /** Waits for the calls still running, then frees the problem's instance; later calls fail with ERR_RATCHET_USAGE. */
  close(): void;
}

export interface OpenOptions {
  /** Device.index of the device to open it on (default 0): CUDA's ordinal, after CUDA_VISIBLE_DEVICES. */
  device?: number;
  /** A variant name from variants(); absent: the default for the shape. */
  variant?: string;
  /** First seed of the shared input generator (docs/peers.md); each check() uses the next. */
  seed?: number;
}

export interface NativeAddon {
  compiledBackends(): Backend[];
  /** [] when the backend has no usable device; never throws for "no GPU". */
  devices(backend: Backend): Device[];
  /** Why the backend has no device, in one line; null when it has one. */
  unavailableReason(backend: Backend): string | null;
  /** The problems this addon can time: its built-ins, and those of every plugin loaded so far. */
  problems(): ProblemSpec[];
  /**
   * dlopen + ABI check + descriptor validation of a plugin (native/include/ratchet/problem.h); its
   * problems then appear in problems() and open like built-ins. Idempotent per file. Every bad
   * plugin is one ERR_RATCHET_PLUGIN naming the path.
   */
  loadPlugin(path: string): ProblemSpec[];
  /** Variants that can run this benchmark on device `device` (Device.index, default 0), default first. */
  variants(backend: Backend, benchmark: Benchmark, device?: number): string[];
  open(backend: Backend, benchmark: Benchmark, options?: OpenOptions): BenchmarkSession;
}

/** A session as the .node file returns it: its identity is composed in TypeScript (index.ts). */
export type RawSession = Omit<BenchmarkSession, 'kernelIdentity' | 'identityCoversCode'>;

/** The raw module of the current surface, and the hook that hands it our error class. */
export interface RawAddon extends Omit<NativeAddon, 'open' | 'loadPlugin'> {
  readonly surfaceVersion: 5;
  /** `deviceCode`: the architectures of the plugin's fatbin, named where this GPU finds none. */
  loadPlugin(path: string, deviceCode: string): ProblemSpec[];
  open(backend: Backend, benchmark: Benchmark, options?: OpenOptions): RawSession;
  setErrorClass(errorClass: new (code: string, message: string) => Error): void;
}
