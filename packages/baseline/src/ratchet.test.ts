import { describe, expect, it } from 'vitest';
import { gpu, lognormal, measurement, run, seeded } from '../test/fixtures.js';
import { compare } from './compare.js';
import { accept, ratchet, storedWithoutCommitNote } from './ratchet.js';

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

  it('keeps the kind of device, not which GPU of a host measured it (index, UUID)', () => {
    const onSecond = run([measurement(512, lognormal(random, 100, 1, 0.02))], { ...gpu, index: 1, uuid: 'GPU-3f2a9c1e-0d4b-4a51-9e0c-1b2c3d4e5f60' });
    const stored = ratchet(null, onSecond, compare(onSecond, null, thresholds), at).baseline.devices['Test-GPU/sm90']!.device;
    expect(stored).toEqual(gpu);
  });

  it('moves forward on an improvement', () => {
    const faster = step(first.baseline, lognormal(random, 100, 0.8, 0.02));
    expect(faster.events[0]!.event).toBe('improvement');
    expect(faster.baseline.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!.summary!.median).toBeLessThan(0.85);
  });

  it('never moves backwards on a regression or noise, and never mutates its input', () => {
    const frozen = structuredClone(first.baseline);
    expect(step(first.baseline, lognormal(random, 100, 1.3, 0.02))).toEqual({ baseline: first.baseline, events: [], changed: false });
    expect(step(first.baseline, lognormal(random, 100, 1.0, 0.02)).events).toEqual([]);
    expect(first.baseline).toEqual(frozen);
  });

  it('keeps the median of each later commit\'s unchanged run in the entry, the last ten, with no history event', () => {
    const entry = (b: typeof first.baseline) => b.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!;
    expect(entry(first.baseline).runMedians).toEqual([{ sha: 'abc', medianMs: entry(first.baseline).summary!.median }]);
    let baseline = first.baseline;
    const runs = [...entry(baseline).runMedians!];
    for (let commit = 0; commit < 12; commit += 1) {
      const result = run([measurement(512, lognormal(random, 100, 1.0, 0.02))]);
      const next = ratchet(baseline, result, compare(result, baseline, thresholds), { ...at, sha: `c${commit}` });
      expect(next).toMatchObject({ events: [], changed: true });
      runs.push(entry(next.baseline).runMedians!.at(-1)!);
      baseline = next.baseline;
    }
    expect(entry(baseline).runMedians).toEqual(runs.slice(-10));
    expect(entry(baseline).runMedians!.at(-1)!.sha).toBe('c11');
    expect(entry(baseline).summary).toEqual(entry(first.baseline).summary);
  });

  it('adds the median of an unchanged run only when it timed the entry\'s code: another code\'s median is no run-to-run spread', () => {
    const code = (letter: string) => `sm_90:${letter.repeat(64)}`;
    const stored = run([{ ...measurement(512, lognormal(random, 100, 1, 0.02)), kernelIdentity: code('a') }]);
    const baseline = ratchet(null, stored, compare(stored, null, thresholds), at).baseline;
    const later = { ...at, sha: 'later' };
    const stepWith = (identity: string) => {
      const result = run([{ ...measurement(512, lognormal(random, 100, 1, 0.02)), kernelIdentity: identity }]);
      const comparison = compare(result, baseline, thresholds);
      expect(comparison.results[0]!.verdict).toBe('unchanged');
      return ratchet(baseline, result, comparison, later);
    };
    expect(stepWith(code('b'))).toEqual({ baseline, events: [], changed: false });
    const same = stepWith(code('a'));
    expect(same.changed).toBe(true);
    expect(same.baseline.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!.runMedians!.map((r) => r.sha)).toEqual(['abc', 'later']);
  });

  it('adds nothing for a second run of the same commit: the baseline file stays as it was', () => {
    expect(step(first.baseline, lognormal(random, 100, 1.0, 0.02))).toEqual({ baseline: first.baseline, events: [], changed: false });
  });

  it('stores the order-taken autocorrelation of the samples, which their sorted copy cannot give', () => {
    expect(first.baseline.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!.autocorrelation).toBeGreaterThan(-0.3);
  });
});

describe('ratchet: a baseline measured slow corrects itself', () => {
  const identity = `sm_90:${'c'.repeat(64)}`;
  const withIdentity = (samples: number[]) => ({ ...measurement(512, samples), kernelIdentity: identity });

  it('records an A/A run significantly faster past the threshold as a correction, in the entry and the history', () => {
    const slowFirst = run([withIdentity(lognormal(random, 100, 4, 0.02))]);
    const first = ratchet(null, slowFirst, compare(slowFirst, null, thresholds), at);
    const honest = run([withIdentity(lognormal(random, 100, 1, 0.02))]);
    const comparison = compare(honest, first.baseline, thresholds);
    expect(comparison.results[0]).toMatchObject({ verdict: 'unchanged', aa: true, drift: 'faster' });
    const corrected = ratchet(first.baseline, honest, comparison, at);
    expect(corrected.events).toMatchObject([{ event: 'correction', reason: expect.stringMatching(/^A\/A: the same machine code measured 7\d\.\d% faster/) }]);
    const entry = corrected.baseline.devices['Test-GPU/sm90']!.benchmarks['flash_fwd/fp16/B1_H1_S512_D64']!;
    expect(entry).toMatchObject({ acceptedAs: 'correction' });
    expect(entry.summary!.median).toBeLessThan(1.1);
  });

  it('then catches a real 2x slowdown of new code that the slow first figure hid', () => {
    const slowFirst = run([withIdentity(lognormal(random, 100, 4, 0.02))]);
    const first = ratchet(null, slowFirst, compare(slowFirst, null, thresholds), at);
    const honest = run([withIdentity(lognormal(random, 100, 1, 0.02))]);
    const corrected = ratchet(first.baseline, honest, compare(honest, first.baseline, thresholds), at).baseline;
    const twiceAsSlow = run([{ ...measurement(512, lognormal(random, 100, 2, 0.02)), kernelIdentity: `sm_90:${'d'.repeat(64)}` }]);
    expect(compare(twiceAsSlow, first.baseline, thresholds).results[0]!.verdict).toBe('improvement');
    expect(compare(twiceAsSlow, corrected, thresholds).results[0]!.verdict).toBe('regression');
  });
});

describe('ratchet: the commit an entry can be confirmed against', () => {
  const id = 'flash_fwd/fp16/B1_H1_S512_D64';
  const identity = `sm_90:${'e'.repeat(64)}`;
  const same = () => run([{ ...measurement(512, lognormal(random, 100, 1, 0.02)), kernelIdentity: identity }]);
  const entryOf = (step: ReturnType<typeof ratchet>) => step.baseline.devices['Test-GPU/sm90']!.benchmarks[id]!;
  const storedAt = (info: Parameters<typeof ratchet>[3]) => {
    const first = same();
    return ratchet(null, first, compare(first, null, thresholds), info);
  };

  it('records whether the tree was dirty beside the commit, and nothing where there is no commit', () => {
    expect(entryOf(storedAt({ ...at, dirty: true }))).toMatchObject({ sha: 'abc', dirty: true });
    expect(entryOf(storedAt({ ...at, dirty: false }))).toMatchObject({ sha: 'abc', dirty: false });
    expect(entryOf(storedAt({ ...at, sha: null, dirty: false }))).not.toHaveProperty('dirty');
  });

  it('gives an entry stored with no commit, or from a dirty tree, the commit of a clean A/A run, its level kept', () => {
    for (const stored of [storedAt({ ...at, sha: null }), storedAt({ ...at, dirty: true })]) {
      const later = same();
      const comparison = compare(later, stored.baseline, thresholds);
      expect(comparison.results[0]).toMatchObject({ verdict: 'unchanged', aa: true });
      const next = ratchet(stored.baseline, later, comparison, { ...at, sha: 'def', dirty: false });
      expect(next).toMatchObject({ events: [], changed: true });
      expect(entryOf(next)).toMatchObject({ sha: 'def', dirty: false, summary: entryOf(stored).summary, acceptedAs: 'new' });
      // Not from a dirty tree, nor from a run of other code.
      expect(entryOf(ratchet(stored.baseline, later, comparison, { ...at, sha: 'def', dirty: true })).sha).toBe(entryOf(stored).sha);
    }
    const stored = storedAt({ ...at, sha: null });
    const other = run([{ ...measurement(512, lognormal(random, 100, 1, 0.02)), kernelIdentity: `sm_90:${'f'.repeat(64)}` }]);
    expect(entryOf(ratchet(stored.baseline, other, compare(other, stored.baseline, thresholds), { ...at, sha: 'def', dirty: false })).sha).toBeNull();
  });

  it('says in one line when it stored entries with no commit or from uncommitted changes', () => {
    expect(storedWithoutCommitNote(storedAt({ ...at, sha: null }), { ...at, sha: null })).toBe(
      'baseline: 1 entry stored with no commit (no commit yet, or not a git checkout): a regression against it cannot be confirmed by measuring a commit, and fails only far past any drift; commit, then run again on the clean tree: a run of the same code there records its commit',
    );
    expect(storedWithoutCommitNote(storedAt({ ...at, dirty: true }), { ...at, sha: '0123456789abcdef', dirty: true })).toMatch(/^baseline: 1 entry stored from uncommitted changes on top of 0123456789ab: /);
    expect(storedWithoutCommitNote(storedAt({ ...at, dirty: false }), { ...at, dirty: false })).toBeNull();
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
