import { describe, expect, it } from 'vitest';
import type { MeasureBudget } from '@ratchet/types';
import { nextBatchSize, relativeCiHalfWidth, stopReason } from './stopping-rule.js';

const budget: MeasureBudget = {
  warmup: 0, minSamples: 10, maxSamples: 100, minTimeMs: 50, maxTimeMs: 1_000,
  targetRelCiHalfWidth: 0.01, l2Flush: false, launchesPerSample: 1,
};
const sorted = (values: number[]) => Float64Array.from(values).sort();
const constant = (n: number, ms = 1) => sorted(Array.from({ length: n }, () => ms));
const spread = (n: number) => sorted(Array.from({ length: n }, (_, i) => 1 + (i % 10) / 10));

describe('stopReason (nvbench-style rule)', () => {
  it('keeps sampling before minSamples even when the CI is already tight', () => {
    expect(stopReason(constant(9), 500, budget)).toBeNull();
  });
  it('keeps sampling before minTimeMs', () => {
    expect(stopReason(constant(50), 10, budget)).toBeNull();
  });
  it('stops as converged once both minimums are met and the median CI is within target', () => {
    expect(stopReason(constant(10), 50, budget)).toBe('converged');
  });
  it('goes on while the median CI is wider than the target', () => {
    expect(relativeCiHalfWidth(spread(40))).toBeGreaterThan(0.01);
    expect(stopReason(spread(40), 100, budget)).toBeNull();
  });
  it('stops at maxSamples and at maxTimeMs whatever the noise', () => {
    expect(stopReason(spread(100), 100, budget)).toBe('max-samples');
    expect(stopReason(spread(40), 1_000, budget)).toBe('time-budget');
  });
  it('does not stop on time with fewer than 3 samples', () => {
    expect(stopReason(spread(2), 5_000, budget)).toBeNull();
  });
});

describe('nextBatchSize', () => {
  it('starts with minSamples, then grows by half, within the caps', () => {
    expect(nextBatchSize(0, 0, 0, budget)).toBe(10);
    expect(nextBatchSize(10, 1, 20, budget)).toBe(5);
    expect(nextBatchSize(90, 1, 20, budget)).toBe(10);
    expect(nextBatchSize(60, 100, 800, budget)).toBe(2);
  });
});
