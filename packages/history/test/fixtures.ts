import type { Device, Measurement, RunResult, Summary } from '@ratchet/types';

export const device: Device = {
  backend: 'cuda', name: 'NVIDIA H100 80GB HBM3', deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', computeCapability: '9.0',
  multiprocessorCount: 132, l2CacheBytes: 52428800, memoryBytes: 85017493504, driverVersion: '580', runtimeVersion: '13.0',
  smClockMHz: 1980, memoryClockMHz: 2619, peakBandwidthGBps: 3352.32, peakTflops: 1070.53056,
};

export function summary(median: number, n = 200): Summary {
  return {
    n, mean: median, median, std: median / 100, cv: 0.01, min: median * 0.98, max: median * 1.03, p05: median * 0.99, p25: median,
    p75: median, p95: median * 1.01, p99: median * 1.02, ci95Mean: [median * 0.999, median * 1.001], ci95Median: [median * 0.9985, median * 1.0015],
  };
}

/** A measured attention benchmark; `medianMs` null makes it one that failed its check. */
export function measurement(S: number, medianMs: number | null, extra: Partial<Measurement> = {}): Measurement {
  const id = `flash_fwd/fp16/B1_H8_S${S}_D64`;
  const flops = 4 * 8 * S * S * 64;
  const ok = medianMs !== null;
  return {
    id, benchmark: { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 8, S, D: 64, causal: false }, status: ok ? 'ok' : 'invalid',
    variant: 'mma_br64_bc64_w4', samplesMs: ok ? [medianMs * 0.99, medianMs, medianMs * 1.01] : [], samplesClockMHz: ok ? [1980, 1965, 1980] : undefined,
    kernelIdentity: 'sm_90:' + 'ab'.repeat(32), summary: ok ? summary(medianMs) : null, flops, bytes: 4 * 8 * S * 64 * 2,
    tflops: ok ? flops / (medianMs / 1e3) / 1e12 : null, gbps: ok ? (4 * 8 * S * 64 * 2) / (medianMs / 1e3) / 1e9 : null,
    roof: 'memory', roofFraction: ok ? 0.123456789 : null,
    correctness: { passed: ok, maxAbsError: 0, relError: 0, tolerance: 2e-3, reference: 'cuda-fp32-reference' },
    stopReason: ok ? 'converged' : null, clockStart: { smClockMHz: 1980, throttleReasons: [] }, clockEnd: null, ...extra,
  };
}

export function runResult(createdAt: string, medians: (number | null)[] = [0.0838, 1.27], sha = '0123456789abcdef0123456789abcdef01234567'): RunResult {
  return {
    schemaVersion: 2, createdAt, git: { sha, branch: 'main', dirty: false }, device,
    timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 },
    measurements: medians.map((median, i) => measurement(512 * (i + 1), median)),
  };
}
