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
  /**
   * Which device of its backend ran it: CUDA's ordinal as the process saw the GPUs (after
   * CUDA_VISIBLE_DEVICES: `--device` takes it), 0 for the CPU. Absent in files written before
   * device selection; never in a baseline, which is per kind of device (deviceKey), not per GPU.
   */
  index?: number;
  /** The GPU's UUID (`GPU-...`, as `nvidia-smi -L` and `ratchet devices` print it): the same in every process; null for the CPU. */
  uuid?: string | null;
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

/** A device as a baseline keeps it: the kind of device, without which one of its kind ran (index, UUID). */
export function deviceKind(device: Device): Device {
  const { index: _index, uuid: _uuid, ...kind } = device;
  return kind;
}
