import { describe, expect, it } from 'vitest';
import { summarize } from '@ratchet/stats';
import type { Measurement } from '@ratchet/types';
import { autotuneBenchmark, chooseVariant, shareOfBudget } from './autotune.js';
import { measureBenchmark } from './measure.js';
import { simulatedBackend } from './simulated-backend.js';

const at = { sha: null, time: '2026-11-23T00:00:00.000Z' };
function variantMeasurement(variant: string, medianMs: number, status: Measurement['status'] = 'ok'): Measurement {
  // A deterministic spread of +-1% around the median.
  const samplesMs = Array.from({ length: 200 }, (_, i) => medianMs * (1 + ((i * 37) % 200 - 100) / 10_000));
  return {
    id: 'flash_fwd/fp16/B1_H1_S64_D64', benchmark: { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 64, D: 64, causal: false },
    status, variant, samplesMs: status === 'ok' ? samplesMs : [], summary: status === 'ok' ? summarize(samplesMs) : null,
    flops: 1, bytes: 1, tflops: 1, gbps: 1, roof: null, roofFraction: null,
    correctness: { passed: status === 'ok', maxAbsError: 0, relError: 0, tolerance: 1e-3, reference: 't', ...(status === 'ok' ? {} : { detail: 'relative error 1e-1' }) },
    stopReason: 'converged', clockStart: null, clockEnd: null,
  };
}

describe('chooseVariant', () => {
  it('picks the fastest variant that is significantly faster than the default', () => {
    const entry = chooseVariant([variantMeasurement('a', 1), variantMeasurement('b', 0.9), variantMeasurement('c', 0.8)], at);
    expect(entry.variant).toBe('c');
    expect(entry.speedup).toBeCloseTo(1.25, 2);
    expect(entry.confidence).toBeCloseTo(1 - 0.05 / 2, 12);
  });
  it('keeps the default when no variant is clearly faster', () => {
    const entry = chooseVariant([variantMeasurement('a', 1), variantMeasurement('b', 0.999)], at);
    expect(entry).toMatchObject({ variant: 'a', speedup: 1 });
  });
  it('never chooses an invalid variant, however fast, and lists it', () => {
    const entry = chooseVariant([variantMeasurement('a', 1), variantMeasurement('fast-but-wrong', 0.1, 'invalid')], at);
    expect(entry.variant).toBe('a');
    expect(entry.candidates[1]).toMatchObject({ status: 'invalid', detail: 'relative error 1e-1', ratio: null });
  });
});

describe('shareOfBudget', () => {
  it('spreads the time left over the variants left, never above the configured cap', () => {
    const budget = { warmup: 1, minSamples: 10, maxSamples: 100, minTimeMs: 200, maxTimeMs: 3000, targetRelCiHalfWidth: 0.01, l2Flush: false, launchesPerSample: 1 };
    expect(shareOfBudget(budget, 10_000, 10)).toMatchObject({ maxTimeMs: 1000, minTimeMs: 200 });
    expect(shareOfBudget(budget, 100_000, 2)).toMatchObject({ maxTimeMs: 3000 });
    expect(shareOfBudget(budget, 100, 10)).toMatchObject({ maxTimeMs: 10, minTimeMs: 10 });
  });
});

describe('autotuneBenchmark: variants interleaved, so drift cannot pick a winner', () => {
  const benchmark = { kernel: 'flash_fwd', dtype: 'fp16' as const, B: 1, H: 1, S: 64, D: 64, causal: false };
  const budget = { warmup: 2, minSamples: 30, maxSamples: 400, minTimeMs: 10, maxTimeMs: 400, targetRelCiHalfWidth: 0.001, l2Flush: false, launchesPerSample: 1 };
  // Two variants of the very same speed on a device that gets 1% faster every 1,000 samples.
  const device = () => simulatedBackend({ medianMs: 1, sigma: 0.005, driftPerSample: -1e-5 }, { seed: 5, variants: { a: 1, b: 1 } });

  it('one after another, the variant measured second looks faster (the defect)', async () => {
    const backend = device();
    const measured = [];
    for (const variant of ['a', 'b']) measured.push(await measureBenchmark(backend, benchmark, { budget, variantFor: () => variant, now: backend.now }));
    expect(chooseVariant(measured, at).variant).toBe('b');
  });
  it('interleaved, keeps the default: neither is faster', async () => {
    const backend = device();
    const entry = await autotuneBenchmark(backend, benchmark, ['a', 'b'], { budget, at, now: backend.now });
    expect(entry).toMatchObject({ variant: 'a', speedup: 1 });
    expect(entry.candidates.map((c) => c.samples)).toEqual([entry.candidates[0]!.samples, entry.candidates[0]!.samples]);
  });
  it('still picks a variant that is really faster', async () => {
    const backend = simulatedBackend({ medianMs: 1, sigma: 0.005, driftPerSample: -1e-5 }, { seed: 6, variants: { a: 1, b: 0.97 } });
    expect((await autotuneBenchmark(backend, benchmark, ['a', 'b'], { budget, at, now: backend.now })).variant).toBe('b');
  });
});
