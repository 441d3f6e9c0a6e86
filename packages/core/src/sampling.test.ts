import { describe, expect, it } from 'vitest';
import type { Benchmark, MeasureBudget, SampleOptions } from '@ratchet/types';
import type { BenchmarkSession } from './backend.js';
import { interleavedBatchCap, sampleSides } from './sampling.js';
import { sideOf } from './side.js';
import { simulatedBackend } from './simulated-backend.js';

const benchmark: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 256, D: 64, causal: false };
const budget: MeasureBudget = { warmup: 2, minSamples: 30, maxSamples: 400, minTimeMs: 5, maxTimeMs: 40, targetRelCiHalfWidth: 0.002, l2Flush: false, launchesPerSample: 1 };

/** The session with the sample counts it was asked for recorded. */
function counting(session: BenchmarkSession, asked: number[]): BenchmarkSession {
  return { ...session, variant: session.variant, work: session.work, sample: (options: SampleOptions) => (asked.push(options.samples), session.sample(options)) };
}

describe('sampleSides: one loop, a lone side its one-side case', () => {
  it('grows a lone side\'s batches by half what it has, looking after each, as bench always sampled', async () => {
    const device = simulatedBackend({ medianMs: 0.05, sigma: 0.02 }, { seed: 3 });
    const asked: number[] = [];
    const side = sideOf(counting(await device.open(benchmark), asked), device.device, benchmark);
    const reason = await sampleSides([side], budget, { now: device.now });
    expect(reason).not.toBeNull();
    expect(asked[0]).toBe(30);
    expect(asked[1]).toBe(15);
    expect(Math.max(...asked)).toBeGreaterThan(interleavedBatchCap);
    expect(asked.reduce((a, b) => a + b, 0)).toBe(side.samples.size);
  });

  it('gives sides in turns batches of the same size, at most 8, whose turns pair one for one', async () => {
    const device = simulatedBackend({ medianMs: 0.05, sigma: 0.02 }, { seed: 4, variants: { a: 1, b: 1.01 } });
    const askedA: number[] = [];
    const askedB: number[] = [];
    const a = sideOf(counting(await device.open(benchmark, { variant: 'a' }), askedA), device.device, benchmark);
    const b = sideOf(counting(await device.open(benchmark, { variant: 'b' }), askedB), device.device, benchmark);
    await sampleSides([a, b], budget, { now: device.now });
    expect(askedA).toEqual(askedB);
    expect(Math.max(...askedA)).toBeLessThanOrEqual(interleavedBatchCap);
    expect(a.samples.turns).toEqual(b.samples.turns);
  });

  it('refuses a sample of ours past the limit on one call, naming the benchmark; a peer\'s answers to its own timeout', async () => {
    const device = simulatedBackend({ medianMs: 61_000, sigma: 0.01 }, { seed: 5 });
    const slow = { ...budget, minSamples: 3, maxSamples: 3 };
    const ours = sideOf(await device.open(benchmark), device.device, benchmark);
    await expect(sampleSides([ours], slow, { now: device.now })).rejects.toMatchObject({
      code: 'ERR_RATCHET_UNSUPPORTED_SHAPE', message: expect.stringMatching(/^flash_fwd\/fp16\/B1_H1_S256_D64: one sample took 61 s, past the 60 s limit on one call/),
    });
    const peer = sideOf(await device.open(benchmark), device.device, benchmark, { limited: false });
    expect(await sampleSides([peer], slow, { now: device.now })).toBe('max-samples');
  });
});
