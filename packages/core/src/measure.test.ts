import { describe, expect, it } from 'vitest';
import type { Benchmark, Device, MeasureBudget } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import { measureBenchmark } from './measure.js';
import { roofline } from './measurement-record.js';
import { simulatedBackend } from './simulated-backend.js';

const benchmark: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 48, D: 16, causal: false };
const budget: MeasureBudget = {
  warmup: 2, minSamples: 10, maxSamples: 400, minTimeMs: 5, maxTimeMs: 2_000,
  targetRelCiHalfWidth: 0.05, l2Flush: false, launchesPerSample: 1,
};

describe('measureBenchmark', () => {
  it('checks, then samples until the stopping rule says stop, and summarizes real timings', async () => {
    const m = await measureBenchmark(jsBackend(), benchmark, { budget });
    expect(m.status).toBe('ok');
    expect(m.correctness!.passed).toBe(true);
    expect(m.samplesMs.length).toBeGreaterThanOrEqual(10);
    expect(m.samplesMs.every((ms) => ms > 0)).toBe(true);
    expect(m.summary!.n).toBe(m.samplesMs.length);
    expect(m.stopReason).not.toBeNull();
    expect(m.tflops).toBeCloseTo(m.flops / (m.summary!.median / 1e3) / 1e12, 12);
  });

  it('never times a kernel that fails its correctness check', async () => {
    const m = await measureBenchmark(jsBackend({ corrupt: true }), benchmark, { budget });
    expect(m.status).toBe('invalid');
    expect(m.samplesMs).toEqual([]);
    expect(m.summary).toBeNull();
    expect(m.correctness!.detail).toMatch(/relative error/);
  });

  it('stops at the time budget with a fake clock that jumps', async () => {
    let t = 0;
    const m = await measureBenchmark(jsBackend(), benchmark, {
      budget: { ...budget, targetRelCiHalfWidth: 1e-9, maxTimeMs: 100 },
      now: () => (t += 60),
    });
    expect(m.stopReason).toBe('time-budget');
  });

  it('reports progress once per batch with growing sample counts', async () => {
    const seen: number[] = [];
    await measureBenchmark(jsBackend(), benchmark, { budget, onProgress: (p) => seen.push(p.samples) });
    expect(seen.length).toBeGreaterThan(0);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe('roofline', () => {
  const device = { peakTflops: 1000, peakBandwidthGBps: 2000 } as Device;
  it('names the binding roof and the fraction of it reached', async () => {
    // 1e12 FLOPs in 2 s at 1000 TFLOP/s peak: compute floor 1 ms, memory floor 0.5 us -> compute.
    expect(roofline(device, 1e12, 1e6, 2)).toEqual({ tflops: 500, gbps: 0.5, roof: 'compute', roofFraction: 0.5 });
    expect(roofline(device, 1e6, 1e9, 1).roof).toBe('memory');
  });
  it('leaves roof fields null when the device peaks are unknown', async () => {
    expect(roofline({ peakTflops: null, peakBandwidthGBps: null } as Device, 1, 1, 1).roof).toBeNull();
  });
});

describe('throttled batches', () => {
  it('discards the samples of batches taken while the device reported throttling, and counts them', async () => {
    let reads = 0;
    // Every other clock read (one per batch after sampling, plus start/end) reports a thermal slowdown.
    const clock = () => ({ smClockMHz: 1980, throttleReasons: (reads += 1) % 2 === 0 ? ['hw_thermal_slowdown'] : [] });
    const m = await measureBenchmark(jsBackend({ clock, maxClockMHz: 1980 }), benchmark, { budget });
    expect(m.status).toBe('ok');
    expect(m.discardedSamples).toBeGreaterThan(0);
    expect(m.summary!.n).toBe(m.samplesMs.length);
  });
  it('treats a clock under 75% of the maximum as throttled, an idle reason as not', async () => {
    const { throttled } = await import('./sample-set.js');
    expect(throttled({ smClockMHz: 1400, throttleReasons: [] }, 1980)).toBe(true);
    expect(throttled({ smClockMHz: 1900, throttleReasons: ['gpu_idle'] }, 1980)).toBe(false);
    expect(throttled({ smClockMHz: null, throttleReasons: [] }, 1980)).toBe(false);
  });
  it('measures a kernel that runs at the power cap: sw_power_cap is throttling only once the clock falls under 75%', async () => {
    const { throttled } = await import('./sample-set.js');
    expect(throttled({ smClockMHz: 1755, throttleReasons: ['sw_power_cap'] }, 1980)).toBe(false);
    expect(throttled({ smClockMHz: 1400, throttleReasons: ['sw_power_cap'] }, 1980)).toBe(true);
    const clock = () => ({ smClockMHz: 1755, throttleReasons: ['sw_power_cap'] });
    const m = await measureBenchmark(jsBackend({ clock, maxClockMHz: 1980 }), benchmark, { budget });
    expect(m.status).toBe('ok');
    expect(m.discardedSamples ?? 0).toBe(0);
  });
  it('fails with ERR_RATCHET_THROTTLED when every sample was throttled', async () => {
    const clock = () => ({ smClockMHz: 500, throttleReasons: [] });
    await expect(measureBenchmark(jsBackend({ clock, maxClockMHz: 1980 }), benchmark, { budget: { ...budget, maxTimeMs: 50 } })).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_THROTTLED' }),
    );
  });
});

describe('launches per sample for a timer that ticks', () => {
  const cudaBudget = { ...budget, minSamples: 30, maxSamples: 300, maxTimeMs: 1_000, minSampleTicks: 100 };
  it('batches a 20 us kernel to 3 launches a sample (100 ticks of 0.5 us), and says so in the result', async () => {
    const backend = simulatedBackend({ medianMs: 0.02, sigma: 0.01, tickMs: 0.0005 }, { seed: 3 });
    const m = await measureBenchmark(backend, benchmark, { budget: cudaBudget, now: backend.now });
    expect(m.launchesPerSample).toBe(3);
    // Times stay per launch, and now step by a third of a tick.
    expect(m.summary!.median).toBeCloseTo(0.02, 3);
  });
  it('leaves a kernel long enough alone, and never batches without minSampleTicks', async () => {
    const long = simulatedBackend({ medianMs: 0.085, sigma: 0.01, tickMs: 0.0005 }, { seed: 4 });
    expect((await measureBenchmark(long, benchmark, { budget: cudaBudget, now: long.now })).launchesPerSample).toBeUndefined();
    const short = simulatedBackend({ medianMs: 0.02, sigma: 0.01, tickMs: 0.0005 }, { seed: 4 });
    expect((await measureBenchmark(short, benchmark, { budget: { ...cudaBudget, minSampleTicks: 0 }, now: short.now })).launchesPerSample).toBeUndefined();
  });
});
