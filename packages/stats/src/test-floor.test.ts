import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from './mann-whitney.js';
import { pairedEstimate } from './paired.js';
import { mannWhitneyFloor, signedRankFloor } from './test-floor.js';

describe('the smallest p-value a test can give', () => {
  it('signed rank: what the test itself gives when every turn is slower (0.00126 at 12 turns, under 0.00078 only from 14)', () => {
    for (const turns of [6, 12, 14, 40]) {
      // Small and large ratios alternating: no lag-1 correlation to inflate the variance.
      const allSlower = Float64Array.from({ length: turns }, (_, i) => (i % 2 === 0 ? 0.01 + i * 1e-4 : 0.03 - i * 1e-4));
      expect(signedRankFloor(turns)).toBeCloseTo(pairedEstimate(allSlower).pSlower, 12);
    }
    expect(signedRankFloor(12)).toBeCloseTo(0.00126, 5);
    expect(signedRankFloor(13)).toBeGreaterThan(0.00078);
    expect(signedRankFloor(14)).toBeLessThan(0.00078);
    // Correlated turns count as fewer: the floor rises.
    expect(signedRankFloor(14, 2)).toBeGreaterThan(0.00078);
  });

  it('Mann-Whitney: what the test itself gives when every sample of one side is above the other\'s, exact and approximate', () => {
    for (const [n1, n2] of [[6, 6], [10, 15], [30, 40]] as const) {
      const low = Float64Array.from({ length: n1 }, (_, i) => 1 + i * 1e-3);
      const high = Float64Array.from({ length: n2 }, (_, i) => 2 + i * 1e-3);
      expect(mannWhitneyFloor(n1, n2)).toBeCloseTo(mannWhitneyU(low, high).pSecondLarger, 12);
    }
    expect(mannWhitneyFloor(6, 6)).toBeCloseTo(1 / 924, 12);
  });
});
