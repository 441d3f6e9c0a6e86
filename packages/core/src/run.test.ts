import { describe, expect, it } from 'vitest';
import type { Benchmark, MeasureBudget } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import { bench, judge } from './run.js';

const benchmarks: Benchmark[] = [
  { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 64, D: 16, causal: false },
  { kernel: 'flash_fwd', dtype: 'bf16', B: 1, H: 1, S: 64, D: 16, causal: true },
];
const budget: MeasureBudget = {
  warmup: 3, minSamples: 40, maxSamples: 200, minTimeMs: 20, maxTimeMs: 1_500,
  targetRelCiHalfWidth: 0.01, l2Flush: false, launchesPerSample: 1,
};
const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05 };

describe('bench -> judge', () => {
  it('first run: every benchmark new, and the next baseline holds them', async () => {
    const result = await bench({ backend: jsBackend(), benchmarks, budget, git: null });
    expect(result.timing.clock).toBe('steady-clock');
    const judgement = judge(result, null, thresholds);
    expect(judgement.comparison.counts.new).toBe(2);
    expect(judgement.markdown).toMatch(/# Performance Ratchet Report/);
    expect(Object.keys(judgement.next.baseline.devices['cpu/js-test']!.benchmarks)).toHaveLength(2);
  });

  it('a kernel made 3x slower for real is judged a regression and the baseline stays', async () => {
    const baseline = judge(await bench({ backend: jsBackend(), benchmarks, budget, git: null }), null, thresholds).next.baseline;
    const slower = await bench({ backend: jsBackend({ slowdown: 3 }), benchmarks, budget, git: null });
    const judgement = judge(slower, baseline, thresholds);
    expect(judgement.comparison.counts.regression).toBe(2);
    expect(judgement.next.baseline).toEqual(baseline);
  });
});
