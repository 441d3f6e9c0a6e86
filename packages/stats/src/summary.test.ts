import { describe, expect, it } from 'vitest';
import reference from './reference-values.json' with { type: 'json' };
import { sortedSamples } from './samples.js';
import { medianCi, summarize, summarizeSorted } from './summary.js';

type Sets = keyof typeof reference.sets;
const relClose = (actual: number, expected: number, tolerance: number) =>
  expect(Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300)).toBeLessThanOrEqual(tolerance);

describe('summarize against numpy/scipy (scripts/reference.py)', () => {
  for (const name of Object.keys(reference.sets) as Sets[]) {
    it(`matches every field for ${name}`, () => {
      const ours = summarize(reference.sets[name]);
      const theirs = reference.summaries[name];
      expect(ours.n).toBe(theirs.n);
      for (const field of ['mean', 'median', 'std', 'cv', 'min', 'max', 'p05', 'p25', 'p75', 'p95', 'p99'] as const) {
        relClose(ours[field], theirs[field], 1e-9);
      }
      relClose(ours.ci95Mean[0], theirs.ci95Mean[0]!, 1e-9);
      relClose(ours.ci95Mean[1], theirs.ci95Mean[1]!, 1e-9);
      expect(ours.ci95Median).toEqual(theirs.ci95Median);
    });
  }
});

describe('edge cases', () => {
  it('one sample: every statistic is that sample, intervals collapse', () => {
    const s = summarize([2.5]);
    expect(s).toMatchObject({ n: 1, mean: 2.5, median: 2.5, std: 0, cv: 0, min: 2.5, max: 2.5, ci95Mean: [2.5, 2.5], ci95Median: [2.5, 2.5] });
  });
  it('two samples: the median CI is [min, max]', () => {
    expect(summarize([1, 3]).ci95Median).toEqual([1, 3]);
  });
  it('identical samples have zero spread', () => {
    const s = summarize(Array.from({ length: 100 }, () => 0.7));
    expect(s.std).toBe(0);
    expect(s.ci95Median).toEqual([0.7, 0.7]);
  });
  it('the median CI holds the median and narrows as samples grow', () => {
    const sorted = (n: number) => sortedSamples(Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % n) / n));
    const small = medianCi(sorted(30));
    const large = medianCi(sorted(3000));
    expect(small[0]).toBeLessThan(1.5);
    expect(small[1]).toBeGreaterThan(1.5);
    expect(large[1] - large[0]).toBeLessThan(small[1] - small[0]);
  });
  it('sorts unsorted input to medianCi instead of returning the wrong order statistics', () => {
    const unsorted = Float64Array.from([5, 1, 4, 2, 3, 9, 8, 7, 6, 10]);
    expect(medianCi(unsorted)).toEqual(medianCi(sortedSamples(Array.from(unsorted))));
  });
  it('refuses the median CI and summary of an empty set instead of returning undefined bounds', () => {
    expect(() => medianCi(new Float64Array(0))).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_RESULTS', message: expect.stringMatching(/empty set/) }));
    expect(() => summarizeSorted(new Float64Array(0))).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_RESULTS' }));
  });
  it('refuses empty and non-finite samples with a RatchetError', () => {
    expect(() => summarize([])).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_RESULTS' }));
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
    expect(() => summarize([1, Infinity])).toThrow(/finite/);
  });
});
