import { describe, expect, it } from 'vitest';
import { configFromText } from './config.js';
import { gateChanges, thresholdChanges } from './gate-changes.js';

const config = (json: object) => configFromText(JSON.stringify(json), 'ratchet.config.json', '/repo').config;

describe('thresholdChanges: what a pull request does to the thresholds that judge it', () => {
  it('marks a higher regression threshold, a lower alpha and Holm over none as looser, a tighter one not', () => {
    const base = config({ thresholds: { regressionPct: 3, relativeRegressionPct: 1.5, alpha: 0.05, suiteControl: 'none' } }).thresholds;
    const head = config({ thresholds: { regressionPct: 2, relativeRegressionPct: 50, alpha: 0.001, suiteControl: 'holm' } }).thresholds;
    expect(thresholdChanges(base, head)).toEqual([
      { key: 'regressionPct', base: 3, head: 2, looser: false },
      { key: 'relativeRegressionPct', base: 1.5, head: 50, looser: true },
      { key: 'alpha', base: 0.05, head: 0.001, looser: true },
      { key: 'suiteControl', base: 'none', head: 'holm', looser: true },
    ]);
  });

  it('compares with the defaults where a side leaves a threshold out, and lists nothing when they agree', () => {
    expect(thresholdChanges(config({}).thresholds, config({ thresholds: { relativeRegressionPct: 1.5 } }).thresholds)).toEqual([]);
    expect(thresholdChanges(config({}).thresholds, config({ thresholds: { improvementPct: 1 } }).thresholds)).toEqual([
      { key: 'improvementPct', base: 5, head: 1, looser: false },
    ]);
    expect(thresholdChanges(config({}).thresholds, config({ thresholds: { runToRunPct: 4 } }).thresholds)).toEqual([
      { key: 'runToRunPct', base: 1, head: 4, looser: true },
    ]);
  });
});

describe('gateChanges', () => {
  it("names the other sections the head changes, for the backend judged, and carries the caller's removed benchmarks", () => {
    const base = config({ budgets: { cpu: { maxSamples: 100 } }, build: { command: ['make'] } });
    const head = config({ budgets: { cpu: { maxSamples: 5 }, cuda: { maxSamples: 7 } }, build: { command: ['make', 'fast'] }, processes: [{ command: ['python3', 'bench.py'] }] });
    const removed = [{ id: 'flash_fwd/fp16/B1_H1_S128_D32', measured: true }];
    expect(gateChanges({ judgedWith: 'base', gate: base, head, backend: 'cpu', removed })).toEqual({
      judgedWith: 'base', thresholds: [], removed, changed: ['budgets.cpu', 'build', 'processes'],
    });
    expect(gateChanges({ judgedWith: 'base', gate: base, head: base, backend: 'cuda', removed: [] }).changed).toEqual([]);
  });
});
