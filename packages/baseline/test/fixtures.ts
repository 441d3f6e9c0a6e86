import { summarize } from '@ratchet/stats';
import type { Device, Measurement, RunResult } from '@ratchet/types';

export { gaussian, lognormal, seededRandom as seeded } from '@ratchet/stats';

export const gpu: Device = {
  backend: 'cuda', name: 'Test GPU', deviceKey: 'Test-GPU/sm90', computeCapability: '9.0', multiprocessorCount: 132,
  l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null,
  memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};

export function measurement(S: number, samplesMs: number[], status: Measurement['status'] = 'ok'): Measurement {
  const benchmark = { kernel: 'flash_fwd', dtype: 'fp16' as const, B: 1, H: 1, S, D: 64, causal: false };
  return {
    id: `flash_fwd/fp16/B1_H1_S${S}_D64`, benchmark, status, variant: 'default',
    samplesMs: status === 'ok' ? samplesMs : [], summary: status === 'ok' ? summarize(samplesMs) : null,
    flops: 1e9, bytes: 1e6, tflops: 1, gbps: 1, roof: null, roofFraction: null,
    correctness: { passed: status === 'ok', maxAbsError: 0, relError: status === 'ok' ? 0 : 0.5, tolerance: 2e-3, reference: 'test', ...(status === 'ok' ? {} : { detail: 'relative error 5e-1 over 2e-3' }) },
    stopReason: 'converged', clockStart: null, clockEnd: null,
  };
}

export function run(measurements: Measurement[], device: Device = gpu): RunResult {
  return {
    schemaVersion: 2, createdAt: '2026-11-23T00:00:00.000Z', git: null, device,
    timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 }, measurements,
  };
}
