import { describe, expect, it } from 'vitest';
import { workRateText } from './rate.js';

describe('workRateText', () => {
  it('says GB/s where memory binds and TFLOP/s where compute does', () => {
    expect(workRateText({ tflops: 2.59, gbps: 2585.1, roof: 'memory' })).toBe('2585 GB/s');
    expect(workRateText({ tflops: 596.2, gbps: 72.8, roof: 'compute' })).toBe('596 TFLOP/s');
  });

  it('falls back to TFLOP/s when the roof is unknown, keeping three digits for small figures', () => {
    expect(workRateText({ tflops: 0.02134, gbps: 3.1, roof: null })).toBe('0.0213 TFLOP/s');
    expect(workRateText({ tflops: 0.02134 })).toBe('0.0213 TFLOP/s');
  });

  it('is null when no rate is known', () => {
    expect(workRateText({ tflops: null, gbps: null, roof: 'memory' })).toBeNull();
  });
});
