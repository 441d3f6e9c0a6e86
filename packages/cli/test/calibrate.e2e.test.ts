import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CalibrationRow } from '@ratchet/types';
import { ratchet, readJson, scratchProject } from './cli-harness.js';

describe('ratchet calibrate on the CPU backend', () => {
  // Thresholds far above the noise of a busy 2-core machine running other test files at once:
  // this checks the mechanism, not the GPU's precision (docs/benchmarks.md has that).
  it('A/A comparisons never flag a regression, and a 4x run time is always caught', () => {
    // Comparisons end on their samples (400 a side at most: 50 turns), not on the clock: with a 200 ms
    // cap a loaded machine left too few independent turns for a verdict (17 paired, worth 5 at lag-1
    // 0.5), and a 4x run time came out "inconclusive" in 1-2 of 4 trials. The 10 s cap is never reached.
    const dir = scratchProject({
      thresholds: { regressionPct: 30, improvementPct: 30 },
      budgets: { cpu: { warmup: 2, minSamples: 30, maxSamples: 400, minTimeMs: 30, maxTimeMs: 10_000 } },
    });
    const run = ratchet(dir, ['calibrate', '--backend', 'cpu', 'flash_fwd/fp16/B1_H1_S128_D32', '--trials', '12', '--slowdowns', '300', '--sensitivity-trials', '4', '--thresholds', '30,100', '--set-time-ms', '10000']);
    // No terminal: one plain line when the benchmark is done.
    expect(run.stderr).toMatch(/^\[1\/1\] flash_fwd\/fp16\/B1_H1_S128_D32  A\/A: 0\/12 false alarms at 30%, noise floor \d+\.\d\d%, stated MDC (\+\d+\.\d\d%|none)\n$/);
    expect(run.status).toBe(0);
    const { results } = readJson<{ results: { regressionPct: number; rows: CalibrationRow[]; suiteFalseAlarmRate: number }[] }>(join(dir, 'results/calibration.json'));
    // The same sample sets judged at both thresholds: a 4x run time is past either.
    expect(results.map((r) => r.regressionPct)).toEqual([30, 100]);
    expect(results[1]!.rows[0]!.sensitivity[0]!.detected).toBe(4);
    const { rows, suiteFalseAlarmRate, regressionPct } = results[0]!;
    expect(regressionPct).toBe(30);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.trials).toBe(12);
    expect(rows[0]!.verdicts.regression).toBe(0);
    expect(suiteFalseAlarmRate).toBe(0);
    expect(rows[0]!.sensitivity[0]).toMatchObject({ slowdownPct: 300, trials: 4, detected: 4, rate: 1 });
    expect(rows[0]!.sensitivity[0]!.measuredSlowdownPct).toBeGreaterThan(150);
    expect(run.stdout).toMatch(/# Calibration: /);
  });

  it('rejects a malformed --slowdowns list', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['calibrate', '--backend', 'cpu', '--slowdowns', '3,x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--slowdowns: expected comma-separated percentages/);
  });

  it('calibrates part of a suite as part of it (--suite-size), and refuses a suite smaller than the part', () => {
    const dir = scratchProject();
    const part = ratchet(dir, ['calibrate', '--backend', 'cpu', 'flash_fwd/fp16/B1_H1_S128_D32', '--trials', '2', '--sensitivity-trials', '0', '--set-time-ms', '100', '--suite-size', '16']);
    expect(part.status).toBe(0);
    expect(readJson<{ suiteSize: number }>(join(dir, 'results/calibration.json')).suiteSize).toBe(16);
    expect(part.stdout).toMatch(/Judged as pull requests of 16 benchmarks: these 1 and 15 more taken as unchanged/);
    const smaller = ratchet(dir, ['calibrate', '--backend', 'cpu', '--trials', '2', '--suite-size', '1']);
    expect(smaller.status).toBe(2);
    expect(smaller.stderr).toMatch(/--suite-size: expected an integer >= 2 but received '1'/);
  });
});
