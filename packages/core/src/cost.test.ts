import { describe, expect, it } from 'vitest';
import { attentionBytes, attentionFlops, type AttentionShape, type Benchmark, type Device, type MeasureBudget } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import { callLimitMs, durationNote, estimateBenchmark, estimateSuite, leastCallMs } from './cost.js';
import { measureBenchmark } from './measure.js';

const budget: MeasureBudget = { warmup: 2, minSamples: 10, maxSamples: 200, minTimeMs: 300, maxTimeMs: 3_000, targetRelCiHalfWidth: 0.01, l2Flush: false, launchesPerSample: 1 };
const huge: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 10_000_000, D: 1, causal: false };
const small: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 8, causal: false };

describe('the cost of a benchmark, from its work', () => {
  it('refuses S = 10^7 on a CPU before anything runs, with the estimate', async () => {
    const { device } = jsBackend();
    const opened: unknown[] = [];
    // Sessions that only report their work: nothing may be checked or sampled.
    const backend = {
      device,
      open: (benchmark: Benchmark) => {
        opened.push(benchmark.S);
        const shape = benchmark as unknown as AttentionShape;
        const refuse = () => { throw new Error('must not run'); };
        return { variant: 'js', work: { flops: attentionFlops(shape), bytes: attentionBytes(shape) }, check: refuse, sample: refuse, clock: refuse, close: () => {} };
      },
    };
    await expect(estimateSuite(backend, [small, huge], budget)).rejects.toMatchObject({
      code: 'ERR_RATCHET_UNSUPPORTED_SHAPE',
      message: 'flash_fwd/fp16/B1_H1_S10000000_D1: its correctness check would take at least 41.7 min on cpu/js-test (4.00e+14 FLOPs and 8.00e+7 bytes per call, at the device\'s peak), past the 60 s limit on one call: measure a smaller shape',
    });
    expect(opened).toEqual([32, 10_000_000]);
    await expect(estimateSuite(backend, [small], budget)).resolves.toMatchObject({ estimates: [{ id: 'flash_fwd/fp16/B1_H1_S32_D8' }] });
  });

  it('bounds a call from below by the device peaks where it has them', () => {
    const gpu = { backend: 'cuda', peakTflops: 989, peakBandwidthGBps: 3350, multiprocessorCount: 132 } as Device;
    const shape = { kernel: 'flash_fwd', dtype: 'fp16', B: 32, H: 8, S: 512, D: 64, causal: false } as const;
    const work = { flops: attentionFlops(shape), bytes: attentionBytes(shape) };
    expect(leastCallMs(gpu, work)).toBeCloseTo(Math.max(work.flops / 989e12, work.bytes / 3350e9) * 1e3, 12);
    const estimate = estimateBenchmark('x', gpu, work, { ...budget, launchesPerSample: 4 });
    expect(estimate.sampleMs).toBeCloseTo(4 * estimate.callMs, 12);
    // The budget's minimum time dominates a tiny call.
    expect(estimate.benchmarkMs).toBeCloseTo(2 * estimate.callMs + 300, 9);
  });

  it('says how long a run takes when its least cost is long, and nothing when it is short', () => {
    expect(durationNote(2, 130_000)).toBe("measuring 2 benchmark(s) takes at least 2.2 min (the budget's minimum time and the work of each call at the device's peak); Ctrl-C stops it");
    expect(durationNote(4, 5_000)).toBeNull();
  });

  it('stops a benchmark whose check took longer than the limit on one call', async () => {
    let t = 0;
    const backend = jsBackend();
    const slowCheck = {
      ...backend,
      open: async (benchmark: Benchmark) => {
        const session = await backend.open(benchmark);
        return { ...session, work: session.work, variant: session.variant, check: () => ((t += callLimitMs + 1), session.check()) };
      },
    };
    await expect(measureBenchmark(slowCheck, small, { budget, now: () => t })).rejects.toMatchObject({
      code: 'ERR_RATCHET_UNSUPPORTED_SHAPE', message: 'flash_fwd/fp16/B1_H1_S32_D8: its correctness check took 60 s, past the 60 s limit on one call: measure a smaller shape',
    });
  });
});
