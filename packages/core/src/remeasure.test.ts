import { beforeAll, describe, expect, it } from 'vitest';
import type { Benchmark, Comparison, MeasureBudget, RunResult } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import { remeasureInconclusive, withMoreSamples } from './remeasure.js';
import { bench } from './run.js';

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
