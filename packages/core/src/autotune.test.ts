import { describe, expect, it } from 'vitest';
import { summarize } from '@ratchet/stats';
import type { Measurement } from '@ratchet/types';
import { chooseVariant, shareOfBudget } from './autotune.js';

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
