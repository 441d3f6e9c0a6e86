import { beforeAll, describe, expect, it } from 'vitest';
import type { Measurement } from '@ratchet/types';
import { lognormal, measurement, run, seeded } from '../test/fixtures.js';
import { compare, judgeWeighed } from './compare.js';
import { compareEntry, weighComparison } from './evidence.js';
import { baselineEntryFor, ratchet } from './ratchet.js';
import { holmLevels, suiteLevels } from './suite-control.js';

describe('holmLevels', () => {
  it('steps down alpha / m, alpha / (m - 1), ... while each is rejected, then stays at the first level that was not', () => {
    const levels = holmLevels([0.5, 0.001, 0.02, 0.01], 0.05);
    expect(levels[1]).toBeCloseTo(0.05 / 4, 12);
    expect(levels[3]).toBeCloseTo(0.05 / 3, 12);
    expect(levels[2]).toBeCloseTo(0.05 / 2, 12);
    expect(levels[0]).toBeCloseTo(0.05, 12);
    // 0.03 fails its step (0.05 / 3): it and everything after are judged at that step.
    expect(holmLevels([0.001, 0.03, 0.04], 0.05)).toEqual([0.05 / 3, 0.025, 0.025]);
  });
  it('counts the members of a larger family at p = 1: the same steps over the whole family', () => {
    // Of a family of 4, two judged: 0.001 passes alpha / 4, 0.03 fails alpha / 3 and stays there.
    expect(holmLevels([0.001, 0.03], 0.05, 4)).toEqual([0.05 / 4, 0.05 / 3]);
    // A family smaller than the p-values given is the p-values' own.
    expect(holmLevels([0.001, 0.03], 0.05, 1)).toEqual(holmLevels([0.001, 0.03], 0.05));
  });
  it('judges part of a suite at the level it has in the whole suite (calibrate --suite-size)', () => {
    const random = seeded(5);
    const thresholds = { regressionPct: 1, improvementPct: 5, alpha: 0.05 };
    const entry = baselineEntryFor(measurement(64, lognormal(random, 200, 1, 0.01)), 'new', { sha: null, time: 't' });
    const after = measurement(64, lognormal(random, 200, 1, 0.01));
    const weighed = [{ measurement: after, entry, evidence: weighComparison(compareEntry(after, entry), entry, thresholds) }];
    expect(judgeWeighed(weighed, thresholds, 2).results[0]!.level).toBeCloseTo(0.05 / 2, 12);
    expect(judgeWeighed(weighed, thresholds, 2, 16).results[0]!.level).toBeCloseTo(0.05 / 2 / 16, 12);
  });
  it('spends alpha over the looks, and judges each benchmark alone with suiteControl none', () => {
    const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05 };
    expect(suiteLevels([0.2, 0.3], { ...thresholds, suiteControl: 'none' }, 2)).toEqual([0.025, 0.025]);
    expect(suiteLevels([0.2, 0.3], thresholds, 2)).toEqual([0.0125, 0.0125]);
  });
});

describe('compare: the false-alarm rate of a whole run', () => {
  // A threshold far under the noise, so each benchmark's chance of a false regression is the
  // test's own one-sided rate: what a 10-benchmark pull request faces without suite-wide control.
  const thresholds = { regressionPct: 0.01, improvementPct: 0.01, alpha: 0.05 };
  const benchmarks = 10;
  const pullRequests = 200;

  // The same pull requests judged both ways, once (seeded: the same samples on every run).
  const rates = { none: { flagged: 0, failed: 0 }, holm: { flagged: 0, failed: 0 } };
  // 200 runs of 10 benchmarks x 2 x 400 samples: a few seconds of work, more on a loaded machine.
  beforeAll(() => {
    const random = seeded(77);
    for (let pr = 0; pr < pullRequests; pr += 1) {
      const sides = Array.from({ length: benchmarks }, (_, b) => [measurement(64 + b, lognormal(random, 400, 1, 0.03)), measurement(64 + b, lognormal(random, 400, 1, 0.03))] as const);
      const before = run(sides.map(([first]) => first));
      const baseline = ratchet(null, before, compare(before, null, thresholds), { sha: null, time: 't' }).baseline;
      const after: Measurement[] = sides.map(([, second]) => second);
      for (const suiteControl of ['none', 'holm'] as const) {
        const { regression } = compare(run(after), baseline, { ...thresholds, suiteControl }).counts;
        rates[suiteControl].flagged += regression;
        if (regression > 0) rates[suiteControl].failed += 1;
      }
    }
  }, 120_000);

  it('fails about one A/A pull request in ten with every benchmark judged alone (the defect)', () => {
    expect(rates.none.failed / pullRequests).toBeGreaterThanOrEqual(0.07);
  });
  it('fails at most alpha / 2 of A/A pull requests with Holm across the run', () => {
    expect(rates.holm.failed / pullRequests).toBeLessThanOrEqual(0.02);
    expect(rates.holm.flagged / (pullRequests * benchmarks)).toBeLessThanOrEqual(0.005);
  });
});
