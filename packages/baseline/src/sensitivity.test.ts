import { describe, expect, it } from 'vitest';
import type { BenchmarkComparison } from '@ratchet/types';
import { lognormal, measurement, seeded } from '../test/fixtures.js';
import { weigh } from './evidence.js';
import { baselineEntryFor } from './ratchet.js';
import { runSensitivity, sensitivityOf, unconfirmableSpreads } from './sensitivity.js';
import { decide, judgeBenchmark } from './verdict.js';

const at = { sha: null, time: '2026-12-01T00:00:00.000Z' };
const thresholds = { regressionPct: 1.5, improvementPct: 5, alpha: 0.05 };
// The level a lone regression has in a 16-benchmark pull request that may look twice.
const level = 0.05 / 2 / 16;

/** One comparison of `n` samples a side at `sigma` noise, the current side `ratio` times slower. */
function judged(seed: number, ratio: number, n = 200, sigma = 0.02, runToRunPct?: number) {
  const random = seeded(seed);
  const entry = baselineEntryFor(measurement(512, lognormal(random, n, 1, sigma)), 'new', at);
  const current = measurement(512, lognormal(random, n, ratio, sigma));
  const judgedAt = runToRunPct === undefined ? thresholds : { ...thresholds, runToRunPct };
  return { entry, current, evidence: weigh(current, entry, judgedAt), result: judgeBenchmark(current, entry, judgedAt, level) };
}

describe('the minimum detectable change a verdict states', () => {
  it('is what the comparison catches: 95% of slowdowns of the stated size are regressions, few of half the excess', () => {
    const stated = Array.from({ length: 40 }, (_, t) => judged(1_000 + t, 1).result.sensitivity!.mdcPct!).sort((a, b) => a - b);
    const mdc = stated[20]!;
    // 200 samples a side at 2% noise, a 1.5% threshold, 16 benchmarks: a few percent, not a constant.
    expect(mdc).toBeGreaterThan(1.5);
    expect(mdc).toBeLessThan(4);
    const rate = (pct: number) => Array.from({ length: 200 }, (_, t) => judged(2_000 + t, 1 + pct / 100).result.verdict).filter((v) => v === 'regression').length / 200;
    const atMdc = rate(mdc);
    expect(atMdc).toBeGreaterThanOrEqual(0.9);
    expect(atMdc).toBeLessThanOrEqual(0.99);
    expect(rate(1.5 + (mdc - 1.5) / 2)).toBeLessThan(0.5);
  });

  it('grows with the noise and shrinks with the samples, and across runs carries the run-to-run spread', () => {
    const mdc = (n: number, sigma: number, runToRunPct?: number) => judged(7, 1, n, sigma, runToRunPct).result.sensitivity!.mdcPct!;
    expect(mdc(200, 0.05)).toBeGreaterThan(mdc(200, 0.02));
    expect(mdc(800, 0.02)).toBeLessThan(mdc(200, 0.02));
    expect(mdc(200, 0.02, 1)).toBeGreaterThan(mdc(200, 0.02) + 3);
  });

  it('is none where the samples allow no verdict at the level: too few, or too few for the test to reach it', () => {
    expect(judged(3, 1, 4).result.sensitivity).toEqual({ mdcPct: null, rule: 'interval' });
    // Low and high samples alternating: no lag-1 correlation, so Mann-Whitney's exact counts apply.
    const alternating = (n: number, scale: number) => Array.from({ length: n }, (_, i) => scale * (1 + (i % 2 === 0 ? i : 20 - i) * 1e-3));
    const mdcOf = (n: number) => {
      const entry = baselineEntryFor(measurement(512, alternating(n, 1)), 'new', at);
      return judgeBenchmark(measurement(512, alternating(n, 1.5)), entry, thresholds, level).sensitivity;
    };
    // 7 against 7: the smallest one-sided p is 1/3432 = 0.00029, under the 0.00078 it is judged at;
    // 6 against 6: 1/924 = 0.0011, which no slowdown can bring under it.
    expect(mdcOf(7)!.mdcPct).not.toBeNull();
    expect(mdcOf(6)).toEqual({ mdcPct: null, rule: 'interval' });
  });

  it('under the confirmation rule is the slowdown whose estimate lands past the threshold 95% of the time: below the interval rule\'s', () => {
    const { evidence } = judged(9, 1, 200, 0.02, 1);
    const interval = sensitivityOf(evidence, level, 'interval').mdcPct!;
    const confirmation = sensitivityOf(evidence, level, 'confirmation').mdcPct!;
    const unconfirmable = sensitivityOf(evidence, level, 'unconfirmable').mdcPct!;
    expect(confirmation).toBeLessThan(interval);
    expect(confirmation).toBeGreaterThan(1.5);
    // The unconfirmable limit sits unconfirmableSpreads run-to-run spreads (1% here) past the threshold.
    expect(Math.log1p(unconfirmable / 100) - Math.log1p(interval / 100)).toBeCloseTo((unconfirmableSpreads * evidence.runToRun!.pct) / 100, 12);
  });
});

describe('an unconfirmable cross-run change', () => {
  const why = 'the baseline entry records no commit to measure beside this one';

  it('fails when its whole CI is past the threshold plus the run-to-run spreads, and says so', () => {
    const { evidence, current, entry } = judged(11, 4, 200, 0.02, 1);
    const result = decide(evidence, current, entry, { ...thresholds, runToRunPct: 1 }, level, { rule: 'unconfirmable', why });
    expect(result.verdict).toBe('regression');
    expect(result.reason).toMatch(/not confirmed \(the baseline entry records no commit to measure beside this one\), but the whole CI is past the 1\.5% threshold plus 10 run-to-run spreads of 1\.0%: \+\d+\.\d%, far past any drift between runs/);
    expect(result.sensitivity?.rule).toBe('unconfirmable');
  });

  it('is inconclusive when past the threshold but short of that, and says what it would take', () => {
    const { evidence, current, entry } = judged(12, 1.08, 200, 0.02, 1);
    const judgedAt = { ...thresholds, runToRunPct: 1 };
    expect(decide(evidence, current, entry, judgedAt, level).verdict).toBe('regression');
    const result = decide(evidence, current, entry, judgedAt, level, { rule: 'unconfirmable', why });
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/, but not confirmed: the baseline entry records no commit to measure beside this one; unconfirmed, a change fails only with its whole CI past the 1\.5% threshold plus 10 run-to-run spreads/);
  });

  it('paired turn by turn, or confirmable, is judged by its CI as before', () => {
    const { evidence, current, entry } = judged(12, 1.08, 200, 0.02, 1);
    const judgedAt = { ...thresholds, runToRunPct: 1 };
    const confirmable = decide(evidence, current, entry, judgedAt, level, { rule: 'confirmation' });
    expect(confirmable.verdict).toBe('regression');
    expect(confirmable.sensitivity?.rule).toBe('confirmation');
  });
});

describe('runSensitivity', () => {
  const result = (mdcPct: number | null): BenchmarkComparison => ({ sensitivity: { mdcPct, rule: 'interval' } }) as BenchmarkComparison;

  it('counts the comparisons that catch twice the threshold and states the largest of their MDCs and the worst', () => {
    expect(runSensitivity([result(1.8), result(2.4), result(4.1), {} as BenchmarkComparison], thresholds)).toEqual({ aimPct: 3, benchmarks: 3, withinAim: 2, mdcPct: 2.4, worstPct: 4.1 });
    expect(runSensitivity([result(3.5), result(null)], thresholds)).toEqual({ aimPct: 3, benchmarks: 2, withinAim: 0, mdcPct: null, worstPct: null });
    expect(runSensitivity([{} as BenchmarkComparison], thresholds)).toBeUndefined();
  });
});
