import { describe, expect, it } from 'vitest';
import type { Measurement } from '@ratchet/types';
import { lognormal, measurement, seeded } from '../test/fixtures.js';
import { baselineEntryFor } from './ratchet.js';
import { kilocycles } from './cycles.js';
import { weigh } from './evidence.js';
import { decide, judgeBenchmark } from './verdict.js';

const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05 };
const at = { sha: null, time: '2026-11-24T00:00:00.000Z' };

/** A measurement whose samples ran at `clockMHz` and take time inversely to it (a compute-bound kernel). */
function atClock(random: () => number, cyclesK: number, clockMHz: number, identity?: string): Measurement {
  const samplesMs = lognormal(random, 300, cyclesK / clockMHz, 0.004);
  return { ...measurement(512, samplesMs), samplesClockMHz: samplesMs.map(() => clockMHz), ...(identity ? { kernelIdentity: identity } : {}) };
}

describe('judgeBenchmark: a regression must hold in cycles', () => {
  it('reads kilocycles as ms x MHz, and none without a clock per sample', () => {
    expect(kilocycles({ samplesMs: [1, 2], samplesClockMHz: [1000, 1500] })).toEqual([1000, 3000]);
    expect(kilocycles({ samplesMs: [1, 2] })).toBeNull();
    expect(kilocycles({ samplesMs: [1, 2], samplesClockMHz: [1000] })).toBeNull();
  });

  it('a 10% slowdown in time from a 10% lower clock is inconclusive (the clock, not the code)', () => {
    const random = seeded(3);
    const base = baselineEntryFor(atClock(random, 1980, 1980), 'new', at);
    const result = judgeBenchmark(atClock(random, 1980, 1800), base, thresholds);
    expect(result.changePct).toBeGreaterThan(9);
    expect(result.verdict).toBe('inconclusive');
    expect(result.cycles!.ratio).toBeCloseTo(1, 2);
    expect(Math.round(result.cycles!.baselineClockMHz)).toBe(1980);
    expect(Math.round(result.cycles!.currentClockMHz)).toBe(1800);
    expect(result.reason).toMatch(/in SM cycles \(clock 1980 -> 1800 MHz\): the clock changed, not the code/);
  });

  it('a 10% slowdown at the same clock holds in cycles: a regression', () => {
    const random = seeded(4);
    const base = baselineEntryFor(atClock(random, 1980, 1980), 'new', at);
    const result = judgeBenchmark(atClock(random, 1980 * 1.1, 1980), base, thresholds);
    expect(result.verdict).toBe('regression');
    expect(result.cycles!.changePct).toBeGreaterThan(9);
  });

  it('a slowdown that holds in cycles, with a cycles CI too wide to judge, asks for more samples and blames no clock', () => {
    const random = seeded(7);
    // Same clocks on both sides on average, read noisily per sample (a power-capped card).
    const jittered = (m: Measurement): Measurement => ({ ...m, samplesClockMHz: m.samplesMs.map(() => 1400 + 600 * random()) });
    const base = baselineEntryFor(jittered(measurement(512, lognormal(random, 300, 1, 0.004))), 'new', at);
    const result = judgeBenchmark(jittered(measurement(512, lognormal(random, 300, 1.034, 0.004))), base, thresholds);
    expect(result.changePct).toBeGreaterThan(3);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/in SM cycles too \(clock \d+ -> \d+ MHz\), but the cycles CI [-+][\d.]+%\.\.[-+][\d.]+% does not clear the threshold; re-run with more samples/);
    expect(result.reason).not.toMatch(/the clock changed/);
  });

  it('a faster clock does not pass for an improvement', () => {
    const random = seeded(5);
    const base = baselineEntryFor(atClock(random, 1980, 1600), 'new', at);
    const result = judgeBenchmark(atClock(random, 1980, 1980), base, thresholds);
    expect(result.changePct).toBeLessThan(-15);
    expect(result.verdict).toBe('inconclusive');
  });

  it('judges time alone when either side has no clocks (older baselines, the CPU)', () => {
    const random = seeded(6);
    const base = baselineEntryFor(measurement(512, lognormal(random, 300, 1, 0.004)), 'new', at);
    const result = judgeBenchmark(atClock(random, 1980 * 1.1, 1980), base, thresholds);
    expect(result.verdict).toBe('regression');
    expect(result.cycles).toBeUndefined();
  });
});

describe('judgeBenchmark: the same machine code is A/A', () => {
  const identity = `sm_90:${'a'.repeat(64)}`;

  it('never reports a regression (or an improvement) between two runs of the same code, and says when the data disagree', () => {
    const random = seeded(7);
    const base = baselineEntryFor(atClock(random, 1980, 1980, identity), 'new', at);
    const slower = judgeBenchmark(atClock(random, 1980 * 1.2, 1980, identity), base, thresholds);
    expect(slower).toMatchObject({ verdict: 'unchanged', aa: true, drift: 'slower' });
    expect(slower.reason).toMatch(/A\/A: same machine code \(sm_90:a{12}\), yet 20\.\d% slower past the threshold: the machine drifted, not the code/);
    const faster = judgeBenchmark(atClock(random, 1980 * 0.8, 1980, identity), base, thresholds);
    expect(faster).toMatchObject({ verdict: 'unchanged', aa: true, drift: 'faster' });
    expect(faster.reason).toMatch(/yet 20\.\d% faster past the threshold: the baseline was measured slow, and is corrected/);
    const same = judgeBenchmark(atClock(random, 1980, 1980, identity), base, thresholds);
    expect(same).toMatchObject({ verdict: 'unchanged', aa: true });
    expect(same.drift).toBeUndefined();
  });

  it('judges as usual when the code differs, or either side does not know its code', () => {
    const random = seeded(8);
    const base = baselineEntryFor(atClock(random, 1980, 1980, identity), 'new', at);
    const other = judgeBenchmark(atClock(random, 1980 * 1.2, 1980, `sm_90:${'b'.repeat(64)}`), base, thresholds);
    expect(other).toMatchObject({ verdict: 'regression', aa: false });
    const unknown = judgeBenchmark(atClock(random, 1980 * 1.2, 1980), base, thresholds);
    expect(unknown.verdict).toBe('regression');
    expect(unknown.aa).toBeUndefined();
  });

  it('keeps the identity and the cycles, ascending, in a baseline entry', () => {
    const entry = baselineEntryFor({ ...measurement(512, [3, 1, 2]), samplesClockMHz: [1000, 2000, 1500], kernelIdentity: identity }, 'new', at);
    expect(entry.samplesMs).toEqual([1, 2, 3]);
    expect(entry.samplesKcycles).toEqual([2000, 3000, 3000]);
    expect(entry.kernelIdentity).toBe(identity);
  });
});

describe('judgeBenchmark: a CI that reaches across the threshold', () => {
  it('is inconclusive even when the estimate is under the threshold (it may be past it)', () => {
    const samples = lognormal(seeded(9), 30, 1, 0.02);
    const base = baselineEntryFor(measurement(512, samples), 'new', at);
    // The same spread 1.5% slower: under the 2% threshold, but 30 noisy samples cannot rule it out.
    const result = judgeBenchmark(measurement(512, samples.map((ms) => ms * 1.015)), base, { ...thresholds, regressionPct: 2 });
    expect(result.ratio).toBeCloseTo(1.015, 6);
    const [low, high] = result.ratioCi95!;
    expect(low).toBeLessThan(1.02);
    expect(high).toBeGreaterThan(1.02);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/the CI reaches across the 2% threshold; re-run/);
  });

  it('is inconclusive when the estimate is past the threshold but the CI is not wholly (the old rule called it a regression)', () => {
    const samples = lognormal(seeded(1), 40, 1, 0.04);
    const base = baselineEntryFor(measurement(512, samples), 'new', at);
    const result = judgeBenchmark(measurement(512, lognormal(seeded(101), 40, 1.041, 0.04)), base, thresholds);
    expect(result.changePct).toBeGreaterThan(3);
    expect(result.decisionCi![0]).toBeLessThan(1.03);
    expect(result.pValue).toBeLessThan(0.05);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/^4\.0% slower \(95% CI \+\d\.\d%\.\.\+\d\.\d%\), p = 0\.0\d+, judged at 0\.05, the CI reaches across the 3% threshold/);
  });

  it('prints a p-value beside the level it was judged at, never "p < 0.001" for one above a level of 0.0003', () => {
    const base = baselineEntryFor(measurement(512, lognormal(seeded(21), 10, 1, 0.01)), 'new', at);
    const result = judgeBenchmark(measurement(512, lognormal(seeded(22), 10, 1.2, 0.01)), base, { ...thresholds, regressionPct: 3 }, 0.0003);
    expect(result.pValue).toBeGreaterThan(0.0003);
    expect(result.pValue).toBeLessThan(0.001);
    expect(result.reason).toContain(`p = ${Number(result.pValue!.toPrecision(2))}, judged at 0.0003,`);
  });

  it('reads the CI at the level it is given: a regression at 95% may not be one at 99.9%', () => {
    const base = baselineEntryFor(measurement(512, lognormal(seeded(12), 60, 1, 0.02)), 'new', at);
    const current = measurement(512, lognormal(seeded(13), 60, 1.045, 0.02));
    expect(judgeBenchmark(current, base, thresholds).verdict).toBe('regression');
    const strict = judgeBenchmark(current, base, thresholds, 0.001);
    expect(strict).toMatchObject({ verdict: 'inconclusive', level: 0.001 });
    expect(strict.reason).toMatch(/\(99\.9% CI /);
  });
});

describe('judgeBenchmark: too few samples', () => {
  it('refuses to judge 4 samples a side, even 50% slower (the old rule called it a regression)', () => {
    const base = baselineEntryFor(measurement(512, [1, 1.01, 0.99, 1.02]), 'new', at);
    const result = judgeBenchmark(measurement(512, [1.5, 1.52, 1.49, 1.51]), base, thresholds);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/too few samples to judge: 4 baseline \(a verdict needs 6 per side\)/);
  });

  it('counts correlated samples as fewer, and says so', () => {
    // A drift up then down over 30 samples: consecutive samples alike, worth only a couple of independent ones.
    const drift = (level: number) => Array.from({ length: 30 }, (_, i) => level * (1 + 0.01 * (i < 15 ? i : 29 - i)));
    const base = baselineEntryFor(measurement(512, drift(1)), 'new', at);
    const result = judgeBenchmark(measurement(512, drift(1.5)), base, thresholds);
    expect(base.autocorrelation).toBeGreaterThan(0.8);
    expect(result.autocorrelation!.current).toBeGreaterThan(0.8);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/too few independent samples: 30 baseline, worth \d\.\d at lag-1 autocorrelation 0\.\d\d/);
  });
});

describe('decide: sides paired turn by turn', () => {
  const turnsOf = (m: Measurement, size: number): Measurement => ({ ...m, sampleTurns: Array.from({ length: m.samplesMs.length / size }, () => size) });

  it('a lower clock on the head in every turn is its own doing (it drew more power): a regression, no cycles guard', () => {
    const random = seeded(5);
    const base = turnsOf(atClock(random, 1980, 1980), 10);
    const head = turnsOf(atClock(random, 1980, 1800), 10);
    const entry = baselineEntryFor(base, 'new', at);
    const result = decide(weigh(head, entry, thresholds, base), head, entry, thresholds, thresholds.alpha);
    expect(result.verdict).toBe('regression');
    expect(result.cycles).toBeUndefined();
    expect(result.paired).toMatchObject({ turns: 30 });
    expect(result.reason).toMatch(/paired turn by turn \(30 turns\)/);
    // Unpaired, the same samples blame the clock.
    expect(decide(weigh(head, entry, thresholds), head, entry, thresholds, thresholds.alpha).verdict).toBe('inconclusive');
  });

  it('refuses to judge fewer than 6 paired turns, however many samples each holds', () => {
    const random = seeded(6);
    const base = turnsOf(measurement(512, lognormal(random, 40, 1, 0.004)), 8);
    const head = turnsOf(measurement(512, lognormal(random, 40, 1.5, 0.004)), 8);
    const entry = baselineEntryFor(base, 'new', at);
    const result = decide(weigh(head, entry, thresholds, base), head, entry, thresholds, thresholds.alpha);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/too few turns to judge: 5 paired \(a verdict needs 6\)/);
  });

  it('judges two sides without turns as two sample sets, as before', () => {
    const random = seeded(7);
    const base = atClock(random, 1980, 1980);
    const entry = baselineEntryFor(base, 'new', at);
    const head = atClock(random, 2200, 1980);
    expect(decide(weigh(head, entry, thresholds, base), head, entry, thresholds, thresholds.alpha).paired).toBeUndefined();
  });
});
