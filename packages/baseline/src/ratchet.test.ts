import { describe, expect, it } from 'vitest';
import { lognormal, measurement, run, seeded } from '../test/fixtures.js';
import { compare } from './compare.js';
import { accept, ratchet } from './ratchet.js';

const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05 };
const at = { sha: 'abc', time: '2026-11-23T00:00:00.000Z' };
const random = seeded(5);
const step = (baseline: Parameters<typeof ratchet>[0], samples: number[]) => {
  const result = run([measurement(512, samples)]);
  return ratchet(baseline, result, compare(result, baseline, thresholds), at);
};

describe('ratchet', () => {
  const first = step(null, lognormal(random, 100, 1, 0.02));

  it('records new benchmarks with a history event each', () => {
    expect(first.events).toMatchObject([{ event: 'new', fromMedianMs: null, benchmarkId: 'flash_fwd/fp16/B1_H1_S512_D64' }]);
    expect(first.baseline.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!.acceptedAs).toBe('new');
  });

  it('moves forward on an improvement', () => {
    const faster = step(first.baseline, lognormal(random, 100, 0.8, 0.02));
    expect(faster.events[0]!.event).toBe('improvement');
    expect(faster.baseline.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!.summary.median).toBeLessThan(0.85);
  });

  it('never moves backwards on a regression or noise, and never mutates its input', () => {
    const frozen = structuredClone(first.baseline);
    expect(step(first.baseline, lognormal(random, 100, 1.3, 0.02))).toEqual({ baseline: first.baseline, events: [] });
    expect(step(first.baseline, lognormal(random, 100, 1.0, 0.02)).events).toEqual([]);
    expect(first.baseline).toEqual(frozen);
  });
});

describe('accept', () => {
  const first = step(null, lognormal(random, 100, 1, 0.02));
  const slower = run([measurement(512, lognormal(random, 100, 1.2, 0.02))]);

  it('records a slower figure on purpose, with its reason', () => {
    const accepted = accept(first.baseline, slower, 'all', 'exact masking costs 20%', at);
    const entry = accepted.baseline.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!;
    expect(entry).toMatchObject({ acceptedAs: 'accept', reason: 'exact masking costs 20%' });
    expect(accepted.events[0]).toMatchObject({ event: 'accept', reason: 'exact masking costs 20%' });
    expect(accepted.events[0]!.toMedianMs).toBeGreaterThan(accepted.events[0]!.fromMedianMs!);
  });
  it('requires a reason', () => {
    expect(() => accept(first.baseline, slower, 'all', '  ', at)).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_USAGE' }));
  });
  it('rejects an unknown id and an invalid measurement', () => {
    expect(() => accept(first.baseline, slower, ['flash_fwd/fp16/B1_H1_S1_D64'], 'x', at)).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_UNKNOWN_BENCHMARK' }));
    expect(() => accept(null, run([measurement(64, [], 'invalid')]), ['flash_fwd/fp16/B1_H1_S64_D64'], 'x', at)).toThrow(/failed its correctness check/);
  });
});
