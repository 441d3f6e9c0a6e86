import { Type, type Static } from '@sinclair/typebox';
import { Described, Int, NonEmptyString, NonNegative, Nullable, OneOf, Str } from './schema-parts.js';
export const backends = ['cpu', 'cuda'] as const;
/** Where a benchmark runs: the C++ reference on the CPU, or the CUDA kernels on a GPU. */
export type Backend = (typeof backends)[number];

export const DeviceSchema = Described('A device as the native layer reports it. Figures it cannot know are null, never guessed.', {
  backend: OneOf(backends),
  name: Str({ description: 'Marketing name, e.g. `NVIDIA H100 80GB HBM3`, or the CPU model.' }),
  deviceKey: NonEmptyString({
    description: 'The key baselines are stored under, e.g. `NVIDIA-H100-80GB-HBM3/sm90` or `cpu/x86_64`, so numbers from different kinds of device never meet.',
  }),
  index: Type.Optional(Int(0, {
    description:
      'Which device of its backend ran it: CUDA\'s ordinal as the process saw the GPUs (after CUDA_VISIBLE_DEVICES: `--device` takes it), ' +
      '0 for the CPU. Absent in files written before device selection; never in a baseline, which is per kind of device (deviceKey).',
  })),
  uuid: Type.Optional(Nullable(NonEmptyString(), { description: 'The GPU\'s UUID (`GPU-...`, as `nvidia-smi -L` and `ratchet devices` print it): the same in every process; null for the CPU.' })),
  computeCapability: Nullable(Str(), { description: '`9.0` on an H100; null on the CPU.' }),
  multiprocessorCount: Int(0, { description: 'Streaming multiprocessors on a GPU, logical cores on the CPU.' }),
  l2CacheBytes: Nullable(NonNegative()),
  memoryBytes: Nullable(NonNegative()),
  driverVersion: Nullable(Str()),
  runtimeVersion: Nullable(Str()),
  smClockMHz: Nullable(NonNegative(), { description: 'SM clock the device reports as its maximum, MHz.' }),
  memoryClockMHz: Nullable(NonNegative()),
  peakBandwidthGBps: Nullable(NonNegative(), { description: 'Theoretical DRAM bandwidth, GB/s (1e9 bytes per second).' }),
  peakTflops: Nullable(NonNegative(), { description: 'Theoretical dense fp16/bf16 tensor throughput, TFLOP/s (1e12 per second).' }),
});
export type Device = Static<typeof DeviceSchema>;

/** A device as a baseline keeps it: the kind of device, without which one of its kind ran (index, UUID). */
export function deviceKind(device: Device): Device {
  const { index: _index, uuid: _uuid, ...kind } = device;
  return kind;
}
