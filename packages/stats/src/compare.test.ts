import { describe, expect, it } from 'vitest';
import { autocorrelated, lognormal, seeded, shares, ticked } from '../test/noise.js';
import { compareSamples, ratioInterval } from './compare.js';

const covers = (interval: readonly [number, number], value: number) => interval[0] <= value && value <= interval[1];

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
    const { covered } = shares(500, () => ({ covered: covers(compareSamples(lognormal(random, 50, 1, 0.1), lognormal(random, 50, trueRatio, 0.1)).ratioCi95, trueRatio) }));
    expect(covered).toBeGreaterThanOrEqual(0.92);
    expect(covered).toBeLessThanOrEqual(0.98);
  });

  it('handles ties between and within the samples, each tie spread over its tick', () => {
    const c = compareSamples([1, 1, 2, 2, 3, 3, 3], [2, 2, 3, 3, 4, 4, 4]);
    // Tick 1: the medians 2 and 3 sit 1.5 of 2 samples into their cells [1.5, 2.5] and [2.5, 3.5].
    expect(c.estimates.baseline.median).toBe(2.25);
    expect(c.estimates.current.median).toBe(3.25);
    expect(c.ratio).toBe(3.25 / 2.25);
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

describe('compareSamples: a timer that ticks (0.5 us CUDA events, 10-50 us kernels)', () => {
  const tick = 0.0005;

  it('A/A with the true median on a tick boundary: no zero-width CI, 1 covered in at least 95% of trials', () => {
    const random = seeded(31);
    const { covered, zeroWidth } = shares(300, () => {
      // 20.25 us: half way between two ticks, 1% noise (0.2 us, under half a tick).
      const c = compareSamples(ticked(random, lognormal(random, 200, 0.02025, 0.01), tick), ticked(random, lognormal(random, 200, 0.02025, 0.01), tick));
      return { covered: covers(c.ratioCi95, 1), zeroWidth: c.ratioCi95[1] - c.ratioCi95[0] === 0 };
    });
    expect(zeroWidth).toBe(0);
    expect(covered).toBeGreaterThanOrEqual(0.95);
  });

  it('covers a true 2% slowdown of a 20 us kernel in at least 93% of trials, and sees the tick', () => {
    const random = seeded(32);
    let resolution = 0;
    const { covered } = shares(300, () => {
      const c = compareSamples(ticked(random, lognormal(random, 300, 0.0201, 0.005), tick), ticked(random, lognormal(random, 300, 0.0201 * 1.02, 0.005), tick));
      resolution = c.estimates.current.resolutionMs;
      return { covered: covers(c.ratioCi95, 1.02) };
    });
    expect(covered).toBeGreaterThanOrEqual(0.93);
    expect(resolution).toBeCloseTo(tick, 12);
  });
});

describe('compareSamples: correlated samples', () => {
  it('measures the lag-1 autocorrelation of the ranks in the order taken', () => {
    const random = seeded(41);
    const c = compareSamples(autocorrelated(random, 2000, 1, 0.02, 0.6), lognormal(random, 2000, 1, 0.02));
    // AR(1) 0.6 on the log scale gives a rank autocorrelation of (6 / pi) asin(0.3) = 0.58.
    expect(c.estimates.baseline.autocorrelation).toBeGreaterThan(0.5);
    expect(c.estimates.baseline.autocorrelation).toBeLessThan(0.65);
    expect(Math.abs(c.estimates.current.autocorrelation)).toBeLessThan(0.06);
    expect(c.estimates.baseline.effectiveN).toBeLessThan(600);
  });

  it('covers the true ratio in at least 92% of trials at lag-1 autocorrelation 0.6 (76-78% before)', () => {
    const random = seeded(42);
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t += 1) {
      const c = compareSamples(autocorrelated(random, 300, 1, 0.02, 0.6), autocorrelated(random, 300, 1.01, 0.02, 0.6));
      if (covers(c.ratioCi95, 1.01)) covered += 1;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.92);
  });

  it('takes the autocorrelation of a side stored sorted from the caller, or from the other side', () => {
    const random = seeded(43);
    const stored = autocorrelated(random, 500, 1, 0.02, 0.5).sort((a, b) => a - b);
    const current = autocorrelated(random, 500, 1, 0.02, 0.5);
    const borrowed = compareSamples(stored, current);
    expect(borrowed.estimates.baseline.autocorrelation).toBe(borrowed.estimates.current.autocorrelation);
    const given = compareSamples(stored, current, { autocorrelation: { baseline: 0.2 } });
    expect(given.estimates.baseline.autocorrelation).toBe(0.2);
  });
});

describe('compareSamples: input at the boundary', () => {
  it.each([
    ['a zero', [1, 0, 2], /samples\[1\] is 0 \(number\)/],
    ['a negative', [1, -2], /positive numbers .* samples\[1\] is -2/],
    ['null', [1, null], /samples\[1\] is null/],
    ['a numeric string', ['1.5', 2], /samples\[0\] is "1.5" \(a string\)/],
    ['NaN', [1, Number.NaN], /positive finite numbers .* samples\[1\] is NaN/],
  ])('refuses samples with %s, naming the index', (_, bad, message) => {
    expect(() => compareSamples(bad as number[], [1, 2, 3])).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_RESULTS', message: expect.stringMatching(message) }));
  });

  it('does not trust a stored ci95Median that the samples do not give (an edited baseline)', () => {
    const random = seeded(44);
    const a = lognormal(random, 400, 1, 0.02);
    const fresh = compareSamples(a, lognormal(random, 400, 1, 0.02));
    const narrowed = { ...fresh.baseline, ci95Median: [fresh.baseline.median, fresh.baseline.median] as const };
    const judged = compareSamples(a, lognormal(random, 400, 1, 0.02), { baselineSummary: narrowed });
    expect(judged.baseline.ci95Median).toEqual(fresh.baseline.ci95Median);
  });
});

describe('ratioInterval', () => {
  it('is ratioCi95 at 95%, wider at higher levels and with variance between runs added', () => {
    const random = seeded(45);
    const c = compareSamples(lognormal(random, 300, 1, 0.02), lognormal(random, 300, 1.01, 0.02));
    expect(ratioInterval(c, 0.95)).toEqual(c.ratioCi95);
    const strict = ratioInterval(c, 0.995);
    expect(strict[0]).toBeLessThan(c.ratioCi95[0]);
    const acrossRuns = ratioInterval(c, 0.95, 0.01 ** 2);
    expect(acrossRuns[1] / acrossRuns[0]).toBeGreaterThan(Math.exp(2 * 1.96 * 0.01));
  });
});
