import { describe, expect, it } from 'vitest';
import reference from './reference-values.json' with { type: 'json' };
import { compareSamples, mannWhitneyU } from './compare.js';
import { sortedSamples } from './summary.js';

/** mulberry32: a seeded generator, so the simulations below are the same on every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
function lognormal(random: () => number, n: number, median: number, sigma: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
    return median * Math.exp(sigma * z);
  });
}

describe('Mann-Whitney U against scipy', () => {
  const sets: Record<string, number[]> = {
    ...reference.sets,
    shifted: reference.shifted,
    lognormal50x12: reference.sets.lognormal50.map((x) => x * 12),
    'normal7+0.031': reference.sets.normal7.map((x) => x + 0.031),
  };
  for (const { a, b, method, pValue } of reference.mannWhitney) {
    it(`${a} vs ${b} (${method}): p = ${pValue.toPrecision(6)}`, () => {
      const ours = mannWhitneyU(sortedSamples(sets[a]!), sortedSamples(sets[b]!)).pValue;
      expect(Math.abs(ours - pValue)).toBeLessThan(1e-6 * Math.max(pValue, 1e-3));
    });
  }
});

describe('compareSamples', () => {
  it('identical samples: ratio 1, p = 1', () => {
    const samples = lognormal(seeded(1), 200, 1, 0.05);
    const c = compareSamples(samples, samples);
    expect(c.ratio).toBe(1);
    expect(c.changePct).toBe(0);
    expect(c.pValue).toBe(1);
    expect(c.ratioCi95[0]).toBeLessThan(1);
    expect(c.ratioCi95[1]).toBeGreaterThan(1);
  });

  it('a 10% slowdown: ratio near 1.1, CI above 1, tiny p', () => {
    const random = seeded(2);
    const c = compareSamples(lognormal(random, 300, 1, 0.03), lognormal(random, 300, 1.1, 0.03));
    expect(c.ratio).toBeGreaterThan(1.08);
    expect(c.ratio).toBeLessThan(1.12);
    expect(c.ratioCi95[0]).toBeGreaterThan(1.05);
    expect(c.pValue).toBeLessThan(1e-10);
  });

  it('the 95% CI of the ratio covers the true ratio in 92-98% of simulated trials', () => {
    const random = seeded(3);
    const trueRatio = 1.07;
    let covered = 0;
    const trials = 500;
    for (let t = 0; t < trials; t += 1) {
      const c = compareSamples(lognormal(random, 50, 1, 0.1), lognormal(random, 50, trueRatio, 0.1));
      if (c.ratioCi95[0] <= trueRatio && trueRatio <= c.ratioCi95[1]) covered += 1;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.92);
    expect(covered / trials).toBeLessThanOrEqual(0.98);
  });

  it('handles ties between and within the samples', () => {
    const c = compareSamples([1, 1, 2, 2, 3, 3, 3], [2, 2, 3, 3, 4, 4, 4]);
    expect(c.ratio).toBe(1.5);
    expect(c.pValue).toBeGreaterThan(0);
    expect(c.pValue).toBeLessThan(1);
  });
});

describe('compareSamples at another confidence level', () => {
  it('widens the ratio CI for a Bonferroni-corrected level', () => {
    const random = seeded(9);
    const a = lognormal(random, 100, 1, 0.05);
    const b = lognormal(random, 100, 0.97, 0.05);
    const plain = compareSamples(a, b);
    const corrected = compareSamples(a, b, { confidence: 1 - 0.05 / 3 });
    expect(corrected.ratio).toBe(plain.ratio);
    expect(corrected.ratioCi95[0]).toBeLessThan(plain.ratioCi95[0]);
    expect(corrected.ratioCi95[1]).toBeGreaterThan(plain.ratioCi95[1]);
  });
});

describe('compareSamples: summaries the caller already has', () => {
  const random = seeded(21);
  const a = lognormal(random, 400, 1, 0.02);
  const b = lognormal(random, 400, 1.03, 0.02);

  it('reuses summaries that describe the samples, with the same result as computing them', () => {
    const fresh = compareSamples(a, b);
    const reused = compareSamples(a, b, { baselineSummary: fresh.baseline, currentSummary: fresh.current });
    expect(reused).toEqual(fresh);
    expect(reused.baseline).toBe(fresh.baseline);
  });

  it('ignores a summary of other samples (a hand-edited file) and computes its own', () => {
    const fresh = compareSamples(a, b);
    const stale = { ...fresh.baseline, median: fresh.baseline.median * 2 };
    expect(compareSamples(a, b, { baselineSummary: stale }).ratio).toBe(fresh.ratio);
  });
});
