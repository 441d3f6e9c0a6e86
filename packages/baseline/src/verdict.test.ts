import { describe, expect, it } from 'vitest';
import type { Measurement } from '@ratchet/types';
import { lognormal, measurement, seeded } from '../test/fixtures.js';
import { baselineEntryFor } from './ratchet.js';
import { judgeBenchmark, kilocycles } from './verdict.js';

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

  it('never reports a regression (or an improvement) between two runs of the same code', () => {
    const random = seeded(7);
    const base = baselineEntryFor(atClock(random, 1980, 1980, identity), 'new', at);
    const slower = judgeBenchmark(atClock(random, 1980 * 1.2, 1980, identity), base, thresholds);
    expect(slower).toMatchObject({ verdict: 'unchanged', aa: true });
    expect(slower.reason).toMatch(/A\/A: both sides ran the same machine code \(sm_90:a{12}\).*was regression/);
    const faster = judgeBenchmark(atClock(random, 1980 * 0.8, 1980, identity), base, thresholds);
    expect(faster).toMatchObject({ verdict: 'unchanged', aa: true });
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
    expect(result.reason).toMatch(/the CI reaches across the threshold; re-run/);
  });
});
