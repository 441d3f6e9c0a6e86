import { describe, expect, it } from 'vitest';
import { gaussian, lognormal, measurement, seeded } from '../test/fixtures.js';
import { baselineEntryFor } from './ratchet.js';
import { runToRunVariance } from './run-to-run.js';
import { judgeBenchmark } from './verdict.js';

const at = { sha: null, time: '2026-12-01T00:00:00.000Z' };
const thresholds = { regressionPct: 1.5, improvementPct: 5, alpha: 0.05 };

describe('cross-run comparisons: the run-to-run spread', () => {
  // Each run of the same code lands 1% (sd) off the last: another machine, day or driver.
  function falseAlarmRate(runToRunPct: number): number {
    const random = seeded(91);
    const trials = 400;
    let flagged = 0;
    for (let t = 0; t < trials; t += 1) {
      const offset = () => Math.exp(0.01 * gaussian(random));
      const entry = baselineEntryFor(measurement(512, lognormal(random, 300, offset(), 0.005)), 'new', at);
      const verdict = judgeBenchmark(measurement(512, lognormal(random, 300, offset(), 0.005)), entry, { ...thresholds, runToRunPct }).verdict;
      if (verdict === 'regression') flagged += 1;
    }
    return flagged / trials;
  }

  it('left out, turns 1% offsets into false alarms at a 1.5% threshold (the defect)', () => {
    expect(falseAlarmRate(0)).toBeGreaterThan(0.05);
  });
  it('included, keeps them at 0.5% or less', () => {
    expect(falseAlarmRate(1)).toBeLessThanOrEqual(0.005);
  });

  it('says in the reason what it included and where it came from', () => {
    const random = seeded(92);
    const entry = baselineEntryFor(measurement(512, lognormal(random, 300, 1, 0.005)), 'new', at);
    const result = judgeBenchmark(measurement(512, lognormal(random, 300, 1, 0.005)), entry, { ...thresholds, runToRunPct: 1 });
    expect(result.runToRun).toEqual({ pct: 1, runs: 1 });
    expect(result.reason).toMatch(/run-to-run spread 1\.0% included \(assumed: the entry holds one run\)/);
  });
});

describe('runToRunVariance', () => {
  const entry = baselineEntryFor(measurement(512, lognormal(seeded(93), 100, 1, 0.01)), 'new', at);

  it('is the prior alone for an entry of one run, and nothing without a prior (same session)', () => {
    const prior = runToRunVariance(entry, { ...thresholds, runToRunPct: 1 }, 0);
    expect(prior.varianceLog).toBeCloseTo(2e-4, 15);
    expect(prior.pct).toBeCloseTo(1, 12);
    expect(prior.runs).toBe(1);
    expect(runToRunVariance(entry, thresholds, 0).varianceLog).toBe(0);
  });
  it('refuses run medians of 0, negative or not finite, as the file reader does, instead of dropping the run-to-run term', () => {
    for (const bad of [0, -1, Number.NaN, Infinity]) {
      const runMedians = [{ sha: 'a', medianMs: 1 }, { sha: 'b', medianMs: bad }];
      expect(() => runToRunVariance({ ...entry, runMedians }, { ...thresholds, runToRunPct: 1 }, 0)).toThrow(
        expect.objectContaining({ code: 'ERR_RATCHET_INVALID_BASELINE', message: expect.stringContaining(`runMedians[1].medianMs: expected a positive number (milliseconds) but received ${bad}`) }),
      );
    }
  });
  it('pools the spread of the entry\'s run medians with the prior, weighted by their count', () => {
    // Ten runs whose medians spread 3% (sd of the logs): 9 degrees of freedom against the prior's 3.
    const medians = [-1.5, 1.5, -1.5, 1.5, -1.5, 1.5, -1.5, 1.5, -1.5, 1.5].map((z) => Math.exp(0.02 * z));
    const observed = medians.map(Math.log).reduce((sum, v) => sum + v * v, 0) / 9;
    const spread = runToRunVariance({ ...entry, runMedians: medians.map((medianMs, i) => ({ sha: `c${i}`, medianMs })) }, { ...thresholds, runToRunPct: 1 }, 0);
    expect(spread.runs).toBe(10);
    expect(spread.pct).toBeCloseTo(Math.sqrt((3 * 1e-4 + 9 * observed) / 12) * 100, 9);
    expect(spread.pct).toBeGreaterThan(2);
  });
});
