export const backends = ['cpu', 'cuda'] as const;
/** Where a benchmark runs: the C++ reference on the CPU, or the CUDA kernels on a GPU. */
export type Backend = (typeof backends)[number];

/** A device as the native layer reports it. Figures it cannot know are null, never guessed. */
export interface Device {
  backend: Backend;
  /** Marketing name, e.g. `NVIDIA H100 80GB HBM3`, or the CPU model. */
  name: string;
  /**
   * The key baselines are stored under, e.g. `NVIDIA-H100-80GB-HBM3/sm90` or `cpu/x86_64`, so
   * numbers from different kinds of device never meet.
   */
  deviceKey: string;
  /** `9.0` on an H100; null on the CPU. */
  computeCapability: string | null;
  /** Streaming multiprocessors on a GPU, logical cores on the CPU. */
  multiprocessorCount: number;
  l2CacheBytes: number | null;
  memoryBytes: number | null;
  driverVersion: string | null;
  runtimeVersion: string | null;
  /** SM clock the device reports as its maximum, MHz. */
  smClockMHz: number | null;
  memoryClockMHz: number | null;
  /** Theoretical DRAM bandwidth, GB/s (1e9 bytes per second). */
  peakBandwidthGBps: number | null;
  /** Theoretical dense fp16/bf16 tensor throughput, TFLOP/s (1e12 per second). */
  peakTflops: number | null;
}
