import { describe, expect, it } from 'vitest';
import { gaussian, seeded, shares } from '../test/noise.js';
import { comparePairedTurns, compareSamples, compareSides } from './compare.js';
import { pairedEstimate, turnLogRatios } from './paired.js';
import reference from './reference-values.json' with { type: 'json' };

/**
 * Two sides taken interleaved, `turns` turns of `batch` samples each (A B, then B A, ...), on a
 * device whose level wanders slowly (AR(1) per sample with lag-1 `rho`, sd `wander`) under iid
 * noise `sigma`: the H200 at its power cap, where one side's samples alone have lag-1 0.97.
 */
function interleavedOnWanderingClock(seed: number, turns: number, batch: number, current: number, wander = 0.025, rho = 0.995, sigma = 0.004) {
  const random = seeded(seed);
  let level = gaussian(random);
  const draw = (speed: number) => {
    level = rho * level + Math.sqrt(1 - rho * rho) * gaussian(random);
    return speed * Math.exp(wander * level + sigma * gaussian(random));
  };
  const sides = { base: [] as number[], head: [] as number[] };
  for (let t = 0; t < turns; t += 1) {
    const order = t % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
    for (const side of order) for (let i = 0; i < batch; i += 1) sides[side].push(draw(side === 'head' ? current : 1));
  }
  const turnCounts = Array.from({ length: turns }, () => batch);
  return { base: { samplesMs: sides.base, turns: turnCounts }, head: { samplesMs: sides.head, turns: turnCounts } };
}

describe('turnLogRatios', () => {
  it('takes the median of each side in each turn, and skips turns a side kept nothing of', () => {
    const ratios = turnLogRatios([1, 3, 2, 5, 1], [3, 0, 2], [2, 2, 4, 4, 9, 9], [2, 2, 2]);
    expect(Array.from(ratios)).toEqual([Math.log(2 / 2), Math.log(9 / 3)]);
  });

  it('reads each turn\'s median off the ogive at the side\'s timer step: tied samples spread over their tick', () => {
    // 0.5 us ticks: a turn of 3 samples at 20.0 and 5 at 20.5 has its median 3/5 into the upper cell, not a whole tick up.
    const base = [20, 20, 20, 20.5, 20.5, 20.5, 20.5, 20.5].map((us) => us / 1e3);
    const head = [20.5, 20.5, 20.5, 20.5, 20.5, 20.5, 20.5, 20.5].map((us) => us / 1e3);
    const [ogive] = turnLogRatios(base, [8], head, [8], { baseline: 0.0005, current: 0.0005 });
    expect(ogive).toBeCloseTo(Math.log(20.5 / (20.25 + 0.5 / 5)), 12);
    const [plain] = turnLogRatios(base, [8], head, [8]);
    expect(plain).toBe(0);
  });

  it('refuses turns that do not add up to the samples, or sides with different turn counts', () => {
    expect(() => turnLogRatios([1, 2], [1], [1], [1])).toThrow(/baseline turns add up to 1 samples but it has 2/);
    expect(() => turnLogRatios([1], [1], [1, 2], [1, 1, 0])).toThrow(/took 1 and 3 turns/);
    expect(() => turnLogRatios([1], [0.5, 0.5], [1], [1])).toThrow(/non-negative integer counts but received 0.5/);
    expect(() => pairedEstimate(new Float64Array(0))).toThrow(/nothing to pair/);
  });
});

describe('pairedEstimate', () => {
  it('matches scipy: the signed-rank p-values (zeros dropped, ties midranked, continuity) and the Hodges-Lehmann estimate', () => {
    const paired = pairedEstimate(Float64Array.from(reference.signedRank.d));
    // Uncorrelated turns (lag-1 at or below 0): nothing inflated, so exactly scipy's figures.
    expect(paired.autocorrelation).toBeLessThanOrEqual(0);
    expect(paired.effectiveTurns).toBe(40);
    expect(paired.logRatio).toBeCloseTo(reference.signedRank.hodgesLehmann, 12);
    expect(paired.pSlower).toBeCloseTo(reference.signedRank.pGreater, 12);
    expect(paired.pFaster).toBeCloseTo(reference.signedRank.pLess, 12);
  });

  it('gives no interval narrower than the data can carry at a handful of turns: the whole range', () => {
    const paired = pairedEstimate(Float64Array.from([0.01, -0.02, 0.03]));
    expect(paired.ci95Log).toEqual([-0.02, 0.03]);
  });
});

describe('comparePairedTurns on a wandering clock', () => {
  it('covers the true ratio 95% of the time in A/A (at least 93.5% of 1,000 seeded trials), where either side alone has lag-1 autocorrelation ~0.97', () => {
    let covered = 0;
    let pairedWidth = 0;
    let wholeWidth = 0;
    const trials = 1_000;
    for (let trial = 0; trial < trials; trial += 1) {
      const { base, head } = interleavedOnWanderingClock(100 + trial, 40, 8, 1);
      const paired = comparePairedTurns(base, head);
      const whole = compareSamples(base.samplesMs, head.samplesMs);
      if (paired.ratioCi95[0] <= 1 && paired.ratioCi95[1] >= 1) covered += 1;
      pairedWidth += Math.log(paired.ratioCi95[1] / paired.ratioCi95[0]);
      wholeWidth += Math.log(whole.ratioCi95[1] / whole.ratioCi95[0]);
      expect(paired.paired!.turns).toBe(40);
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.935);
    // The point of pairing: the wander cancels within a turn instead of widening the interval.
    expect(pairedWidth).toBeLessThan(wholeWidth / 4);
  });

  it('sees a 1% slowdown in 40 turns of 8 samples, which the two sets as wholes cannot tell from the wander', () => {
    const { pairedSaw, wholeSaw } = shares(100, (trial) => {
      const { base, head } = interleavedOnWanderingClock(5_000 + trial, 40, 8, 1.01);
      return { pairedSaw: comparePairedTurns(base, head).ratioCi95[0] > 1.005, wholeSaw: compareSamples(base.samplesMs, head.samplesMs).ratioCi95[0] > 1.005 };
    });
    expect(pairedSaw).toBeGreaterThanOrEqual(0.95);
    expect(wholeSaw).toBeLessThan(0.5);
  });

  it('keeps the two-sample summaries and per-side estimates, and says how many turns paired', () => {
    const { base, head } = interleavedOnWanderingClock(7, 12, 4, 1.02);
    const paired = comparePairedTurns(base, head);
    const whole = compareSamples(base.samplesMs, head.samplesMs);
    expect(paired.baseline).toEqual(whole.baseline);
    expect(paired.estimates).toEqual(whole.estimates);
    expect(paired.tickBoundLog).toBe(whole.tickBoundLog);
    expect(paired.paired).toMatchObject({ turns: 12 });
    expect(paired.changePct).toBeCloseTo((paired.ratio - 1) * 100, 12);
  });
});

describe('compareSides', () => {
  it('pairs sides that took the same turns, and compares any others as two sample sets', () => {
    const { base, head } = interleavedOnWanderingClock(8, 12, 4, 1.02);
    const turned = (side: typeof base) => ({ samplesMs: side.samplesMs, sampleTurns: side.turns });
    expect(compareSides(turned(base), turned(head))).toEqual(comparePairedTurns(base, head));
    expect(compareSides(turned(base), turned(head)).paired).toMatchObject({ turns: 12 });
    // One side without turns, or turns that do not match: no pairing to be had.
    expect(compareSides(turned(base), { samplesMs: head.samplesMs })).toEqual(compareSamples(base.samplesMs, head.samplesMs));
    expect(compareSides(turned(base), { samplesMs: head.samplesMs, sampleTurns: [head.samplesMs.length] }).paired).toBeUndefined();
  });
});
