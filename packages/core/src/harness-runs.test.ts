import { seededRandom } from '@ratchet/stats';
import type { Measurement, RunResult } from '@ratchet/types';
import { describe, expect, it } from 'vitest';
import { judgeHarnessRuns, measureHarnessRuns, type HarnessSide } from './harness-runs.js';

const device = {
  backend: 'cuda', name: 'NVIDIA H100 80GB HBM3', deviceKey: 'triton/NVIDIA-H100-80GB-HBM3', computeCapability: null, multiprocessorCount: 0,
  l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
} as const;

/** What one run of a harness that writes one number per benchmark (Triton's perf_report) reads as. */
function oneNumberRun(figures: Record<string, number>): RunResult {
  const measurements: Measurement[] = Object.entries(figures).map(([id, ms]) => ({
    id, benchmark: { kernel: id }, status: 'ok', variant: 'default', samplesMs: [], summary: null, harnessName: id,
    reported: { kind: 'single', valueMs: ms, statistic: 'value perf_report wrote', roundingMs: 0 },
    flops: 0, bytes: 0, tflops: null, gbps: null, roof: null, roofFraction: null, correctness: null, stopReason: null, clockStart: null, clockEnd: null,
  }));
  return {
    schemaVersion: 2, createdAt: '2026-12-06T00:00:00.000Z', git: null, device, timing: { clock: 'cuda-events', warmup: 0, l2Flush: true, launchesPerSample: 1 },
    measurements, imported: { format: 'triton', harness: 'triton', harnessVersion: null, files: ['out/softmax.csv'] },
  };
}

/**
 * A harness whose runs drift together (a shared offset per pair of runs, as a GPU's clock or a
 * neighbour's load moves them) with 0.5% noise on each run; `slower` multiplies the head's figures.
 */
function driftingHarness(slower: Record<string, number>, seed = 3) {
  const random = seededRandom(seed);
  const calls: HarnessSide[] = [];
  let offset = 1;
  return {
    calls,
    runHarness: async (side: HarnessSide, run: number) => {
      calls.push(side);
      if (calls.length % 2 === 1) offset = 1 + 0.04 * Math.sin(run);
      const noise = () => 1 + 0.005 * (random() * 2 - 1);
      return oneNumberRun({ softmax: 0.02 * offset * noise() * (side === 'head' ? slower.softmax ?? 1 : 1), matmul: 0.3 * offset * noise() * (side === 'head' ? slower.matmul ?? 1 : 1) });
    },
  };
}

const budget = { minRuns: 6, maxRuns: 40, maxTimeMs: 60_000, targetRelCiHalfWidth: 0.005 };
let clock = 0;
const now = () => (clock += 1_000);

describe('a harness run again and again: its runs are the turns', () => {
  it('one number a run becomes a sample a run, each its own turn, until the stopping rule is met', async () => {
    const harness = driftingHarness({});
    const outcome = await measureHarnessRuns({ runHarness: harness.runHarness, withBase: false, budget: { ...budget, targetRelCiHalfWidth: 0.05 }, now });
    expect(outcome.stopReason).toBe('converged');
    expect(outcome.runs).toBeGreaterThanOrEqual(6);
    const softmax = outcome.head.measurements.find((m) => m.id === 'softmax')!;
    expect(softmax.samplesMs).toHaveLength(outcome.runs);
    expect(softmax.sampleTurns).toEqual(Array(outcome.runs).fill(1));
    expect(softmax.reported).toBeUndefined();
    expect(outcome.head.imported!.runs).toBe(outcome.runs);
    expect(outcome.base).toBeNull();
  });

  it('with a base, the sides alternate head-base, base-head, so neither is always first', async () => {
    const harness = driftingHarness({});
    await measureHarnessRuns({ runHarness: harness.runHarness, withBase: true, budget: { ...budget, maxRuns: 4, minRuns: 4 }, now });
    expect(harness.calls).toEqual(['head', 'base', 'base', 'head', 'head', 'base', 'base', 'head']);
  });

  it('paired run by run, a 5% slower kernel is a regression through drift of 4% between pairs, and the other benchmark is not', async () => {
    const harness = driftingHarness({ softmax: 1.05 });
    const outcome = await measureHarnessRuns({ runHarness: harness.runHarness, withBase: true, budget, now });
    const judged = judgeHarnessRuns(outcome, { thresholds: { regressionPct: 3, relativeRegressionPct: 1.5, improvementPct: 5, alpha: 0.05, runToRunPct: 1 }, baseline: null, baseInfo: { baseRef: 'main', baseSha: 'a'.repeat(40) } });
    const byId = Object.fromEntries(judged.comparison.results.map((r) => [r.id, r]));
    expect(byId.softmax!.verdict).toBe('regression');
    expect(byId.softmax!.reason).toMatch(/paired turn by turn \(\d+ turns/);
    expect(byId.matmul!.verdict).not.toBe('regression');
    expect(judged.comparison.relative).toEqual({ baseRef: 'main', baseSha: 'a'.repeat(40) });
    expect(judged.markdown).toContain('run ' + outcome.runs + ' times by Ratchet');
  });

  it('stops at the run cap when the target cannot be met, and says so', async () => {
    const harness = driftingHarness({});
    const outcome = await measureHarnessRuns({ runHarness: harness.runHarness, withBase: false, budget: { ...budget, maxRuns: 8, targetRelCiHalfWidth: 1e-9 }, now });
    expect([outcome.runs, outcome.stopReason]).toEqual([8, 'max-samples']);
  });

  it('refuses a run that times other benchmarks than the first, naming the side and the run', async () => {
    let run = 0;
    const flaky = async () => oneNumberRun(run++ === 2 ? { softmax: 1 } : { softmax: 1, matmul: 2 });
    await expect(measureHarnessRuns({ runHarness: flaky, withBase: false, budget, now })).rejects.toThrow('the head side: run 3 of the harness came back without matmul: every run must time the same benchmarks');
  });
});
