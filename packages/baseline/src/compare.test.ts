import { describe, expect, it } from 'vitest';
import { gpu, lognormal, measurement, run, seeded } from '../test/fixtures.js';
import { compare } from './compare.js';
import { ratchet } from './ratchet.js';

const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05 };
const at = { sha: 'abc', time: '2026-11-23T00:00:00.000Z' };
const random = seeded(11);
const base = lognormal(random, 200, 1, 0.02);
const baseline = ratchet(null, run([measurement(512, base)]), compare(run([measurement(512, base)]), null, thresholds), at).baseline;
const verdictFor = (samples: number[]) => compare(run([measurement(512, samples)]), baseline, thresholds).results[0]!;

describe('compare: one verdict per benchmark', () => {
  it('10% slower is a regression, with the reason in one line', () => {
    const result = verdictFor(lognormal(random, 200, 1.1, 0.02));
    expect(result.verdict).toBe('regression');
    expect(result.reason).toMatch(/^\d+\.\d% slower \(95% CI \+\d+\.\d%\.\.\+\d+\.\d%\), p = [\d.e-]+, judged at 0\.05, the whole CI is past the 3% threshold$/);
  });
  it('10% faster is an improvement', () => {
    expect(verdictFor(lognormal(random, 200, 0.9, 0.02)).verdict).toBe('improvement');
  });
  it('the same distribution is unchanged', () => {
    expect(verdictFor(lognormal(random, 200, 1, 0.02)).verdict).toBe('unchanged');
  });
  it('1% slower, real but under the threshold, is unchanged', () => {
    expect(verdictFor(lognormal(random, 2000, 1.01, 0.005)).verdict).toBe('unchanged');
  });
  it('huge noise makes it inconclusive rather than a guess', () => {
    const result = verdictFor(lognormal(random, 12, 1.04, 0.5));
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/re-run with more samples/);
  });
  it('a kernel that failed its check is invalid, whatever its history', () => {
    const comparison = compare(run([measurement(512, [], 'invalid')]), baseline, thresholds);
    expect(comparison.results[0]!.verdict).toBe('invalid');
  });
});

describe('compare: the suite as a whole', () => {
  it('reports new, invalid and missing, regressions first, and counts every verdict', () => {
    const comparison = compare(
      run([measurement(1024, lognormal(random, 50, 1, 0.02)), measurement(2048, [], 'invalid'), measurement(512, lognormal(random, 200, 1.2, 0.02))]),
      baseline,
      thresholds,
    );
    expect(comparison.results.map((r) => [r.id, r.verdict])).toEqual([
      ['flash_fwd/fp16/B1_H1_S512_D64', 'regression'],
      ['flash_fwd/fp16/B1_H1_S2048_D64', 'invalid'],
      ['flash_fwd/fp16/B1_H1_S1024_D64', 'new'],
    ]);
    expect(comparison.counts).toEqual({ regression: 1, improvement: 0, unchanged: 0, new: 1, missing: 0, invalid: 1, inconclusive: 0 });
    expect(comparison.results[1]!.reason).toMatch(/failed its correctness check: relative error 5e-1/);
  });
  it('reports a baseline entry that was not measured as missing', () => {
    const comparison = compare(run([]), baseline, thresholds);
    expect(comparison.results).toMatchObject([{ id: 'flash_fwd/fp16/B1_H1_S512_D64', verdict: 'missing' }]);
  });
  it('never compares across devices: another device key sees only new benchmarks', () => {
    const other = { ...gpu, deviceKey: 'cpu/x86_64/test', backend: 'cpu' as const };
    expect(compare(run([measurement(512, base)], other), baseline, thresholds).counts.new).toBe(1);
  });
});

describe('compare: looks and the error control of the run', () => {
  it('judges each look at alpha / looks, and records how', () => {
    const comparison = compare(run([measurement(512, lognormal(random, 200, 1.1, 0.02))]), baseline, thresholds, { looks: 2 });
    expect(comparison.results[0]).toMatchObject({ verdict: 'regression', level: 0.025 });
    expect(comparison.results[0]!.reason).toMatch(/\(97\.5% CI /);
    expect(comparison.errorControl).toEqual({ method: 'holm', alpha: 0.05, looks: 2, benchmarks: 1 });
  });
});

describe('compare: a new benchmark must be steady to be stored', () => {
  it('says "new, not stored yet: unstable (cv ...)" for a first run taken under load, and the ratchet leaves it out', () => {
    const noisy = run([measurement(4096, lognormal(random, 50, 1, 0.2))]);
    const comparison = compare(noisy, null, { ...thresholds, newEntryMaxCvPct: 10 });
    expect(comparison.results[0]).toMatchObject({ verdict: 'new', unstable: true });
    expect(comparison.results[0]!.reason).toMatch(/^new, not stored yet: unstable \(cv \d\d\.\d% > 10%\)/);
    const step = ratchet(null, noisy, comparison, at);
    expect(step.events).toEqual([]);
    expect(step.baseline.devices['Test-GPU/sm90']).toBeUndefined();
  });
  it('stores a steady one', () => {
    const steady = run([measurement(4096, lognormal(random, 50, 1, 0.02))]);
    const comparison = compare(steady, null, { ...thresholds, newEntryMaxCvPct: 10 });
    expect(comparison.results[0]!.unstable).toBeUndefined();
    expect(ratchet(null, steady, comparison, at).events).toMatchObject([{ event: 'new' }]);
  });
});
