import { beforeAll, describe, expect, it } from 'vitest';
import type { Benchmark, Comparison, MeasureBudget, Measurement, RunResult } from '@ratchet/types';
import { compare, ratchet } from '@ratchet/baseline';
import { jsBackend } from '../test/js-backend.js';
import { withMoreSamples } from './measurement-record.js';
import { longerBudget, remeasureInconclusive, remeasureOnce, worthRemeasuring } from './remeasure.js';
import { bench } from './run.js';
import { simulatedBackend } from './simulated-backend.js';

const benchmarks: Benchmark[] = [
  { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false },
  { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 48, D: 16, causal: false },
];
const budget: MeasureBudget = { warmup: 1, minSamples: 10, maxSamples: 20, minTimeMs: 1, maxTimeMs: 200, targetRelCiHalfWidth: 0.5, l2Flush: false, launchesPerSample: 1 };

describe('remeasureInconclusive', () => {
  const backend = jsBackend();
  let result: RunResult;
  beforeAll(async () => {
    result = await bench({ backend, benchmarks, budget, git: null });
  });
  const verdictsOf = (inconclusiveId: string) =>
    ({ results: result.measurements.map((m) => ({ id: m.id, verdict: m.id === inconclusiveId ? 'inconclusive' : 'unchanged' })) }) as unknown as Comparison;

  it('measures only the inconclusive benchmarks again, keeping their first samples too', async () => {
    const target = result.measurements[1]!;
    const opened = backend.opened;
    const { result: again, remeasured } = await remeasureInconclusive(result, verdictsOf(target.id), backend, budget);
    expect(remeasured).toEqual([target.id]);
    expect(backend.opened).toBe(opened + 1);
    expect(again.measurements[0]).toBe(result.measurements[0]);
    const merged = again.measurements[1]!;
    expect(merged.samplesMs.slice(0, target.samplesMs.length)).toEqual(target.samplesMs);
    expect(merged.samplesMs.length).toBeGreaterThan(target.samplesMs.length);
    expect(merged.summary!.n).toBe(merged.samplesMs.length);
  });

  it('does nothing when nothing is inconclusive', async () => {
    expect(await remeasureInconclusive(result, verdictsOf('none'), backend, budget)).toEqual({ result, remeasured: [] });
  });
});

type Pair = readonly [Measurement, Measurement];

describe('remeasureOnce: the one bounded re-measure of run, run --base and calibrate', () => {
  it('measures only what the first look left undecided, once, with twice the budget and its first launches per sample, every side of it', async () => {
    const [first] = (await bench({ backend: jsBackend(), benchmarks, budget, git: null })).measurements;
    const batched = { ...first!, launchesPerSample: 4 };
    const asked: { index: number; budget: MeasureBudget }[] = [];
    const again = async (index: number, longer: MeasureBudget): Promise<Pair> => (asked.push({ index, budget: longer }), [{ ...first!, samplesMs: [1, 2] }, { ...first!, samplesMs: [3] }]);
    const { taken, remeasured } = await remeasureOnce<Pair>([[first!, first!], [batched, first!]], (index) => index === 1, budget, again, jsBackend().device);
    expect(remeasured).toEqual([1]);
    expect(asked).toEqual([{ index: 1, budget: { ...longerBudget(budget), launchesPerSample: 4 } }]);
    expect(taken[0]).toEqual([first, first]);
    expect(taken[1]!.map((m) => m.samplesMs.length)).toEqual([first!.samplesMs.length + 2, first!.samplesMs.length + 1]);
    // The samples were taken at 4 launches each, both passes: the record says so.
    expect(taken[1]![0]!.launchesPerSample).toBe(4);
  });
});

describe('withMoreSamples', () => {
  it('runs the turns of an interleaved side on into its second pass, and keeps none when a pass had none', async () => {
    const [first] = (await bench({ backend: jsBackend(), benchmarks, budget, git: null })).measurements;
    const turned = { ...first!, sampleTurns: [first!.samplesMs.length] };
    const again = { ...first!, samplesMs: [1, 2, 3], sampleTurns: [2, 1] };
    const device = jsBackend().device;
    expect(withMoreSamples(turned, again, device).sampleTurns).toEqual([first!.samplesMs.length, 2, 1]);
    expect(withMoreSamples(first!, again, device).sampleTurns).toBeUndefined();
  });
});

describe('worthRemeasuring', () => {
  // A baseline entry and a later run of the same code, each of `n` samples at `sigma` noise.
  async function crossRun(seed: number, n: number, sigma: number, runToRunPct: number) {
    const device = simulatedBackend({ medianMs: 1, sigma }, { seed });
    const fixed = { ...budget, minSamples: n, maxSamples: n, maxTimeMs: 1e9, targetRelCiHalfWidth: 1e-9 };
    const first = await bench({ backend: device, benchmarks: benchmarks.slice(0, 1), budget: fixed, git: null, now: device.now });
    const judged = { regressionPct: 3, improvementPct: 5, alpha: 0.05, runToRunPct };
    const baseline = ratchet(null, first, compare(first, null, judged), { sha: null, time: '' }).baseline;
    const second = await bench({ backend: device, benchmarks: benchmarks.slice(0, 1), budget: fixed, git: null, now: device.now });
    const comparison = compare(second, baseline, judged, { looks: 2 });
    return { comparison, worth: worthRemeasuring(comparison, second, baseline, judged) };
  }

  it('leaves out a cross-run comparison whose CI is wide from the run-to-run spread alone, keeps one wide from its samples', async () => {
    const spread = await crossRun(1, 400, 0.01, 1);
    expect(spread.comparison.results[0]!.verdict).toBe('inconclusive');
    expect(spread.worth.results).toEqual([]);
    const noisy = await crossRun(2, 20, 0.08, 0);
    expect(noisy.comparison.results[0]!.verdict).toBe('inconclusive');
    expect(noisy.worth.results.map((r) => r.verdict)).toEqual(['inconclusive']);
  });
});
