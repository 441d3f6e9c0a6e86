import { describe, expect, it } from 'vitest';
import type { Benchmark, Tuning, TuningEntry } from '@ratchet/types';
import { autotuneBenchmark } from './autotune.js';
import { simulatedBackend } from './simulated-backend.js';
import { checkTuning, ignoredTuningNotes, legacyTuningReason } from './tuning-check.js';
import { tunedVariants, withTuningEntry } from './tuning-file.js';

const benchmark: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 64, D: 64, causal: false };
const id = 'flash_fwd/fp16/B1_H1_S64_D64';
const budget = { warmup: 2, minSamples: 30, maxSamples: 400, minTimeMs: 10, maxTimeMs: 400, targetRelCiHalfWidth: 0.001, l2Flush: false, launchesPerSample: 1 };
/** A build of the variants a (the default) and b, 10% faster; `build` names its code (the identities). */
const device = (build?: string) => simulatedBackend({ medianMs: 1, sigma: 0.005 }, { seed: 3, variants: { a: 1, b: 0.9 }, ...(build ? { kernelIdentity: build } : {}) });

/** The tuning file autotune writes on `build`: b chosen over a. */
async function tunedOn(build?: string): Promise<Tuning> {
  const backend = device(build);
  const entry = await autotuneBenchmark(backend, benchmark, ['a', 'b'], { budget, at: { sha: null, time: '2026-12-06T00:00:00.000Z' }, now: backend.now });
  expect(entry).toMatchObject({ variant: 'b', defaultVariant: 'a' });
  return withTuningEntry(null, backend.device, id, entry);
}

/** The tuning as a run on `build` with `variants` may use it. */
function checkedOn(tuning: Tuning, build: string | undefined, variants: string[], every = false) {
  const backend = device(build);
  return checkTuning(tuning, [benchmark], { sources: { variants: () => variants }, backend }, { every });
}

const entryOf = (tuning: Tuning): TuningEntry => Object.values(tuning.devices)[0]!.benchmarks[id]!;

describe('a tuning entry is used only while what it was chosen among is what runs', () => {
  it('records the code of every candidate, and is used on the same variants and code', async () => {
    const tuning = await tunedOn('build1');
    expect(entryOf(tuning).candidates.map((c) => [c.variant, c.kernelIdentity])).toEqual([['a', 'build1:a'], ['b', 'build1:b']]);
    const checked = await checkedOn(tuning, 'build1', ['a', 'b']);
    expect(checked.ignored).toEqual([]);
    expect(tunedVariants(checked.tuning, device().device).variantFor(benchmark)).toBe('b');
  });

  it('is ignored once the variants changed: one added, one gone, or another default', async () => {
    const tuning = await tunedOn('build1');
    const reasons = async (variants: string[]) => (await checkedOn(tuning, 'build1', variants)).ignored;
    expect(await reasons(['a', 'b', 'c'])).toEqual([{ id, reason: 'the variants changed since it was tuned (c added)' }]);
    expect(await reasons(['a'])).toEqual([{ id, reason: 'the variants changed since it was tuned (b gone)' }]);
    expect(await reasons(['c', 'a', 'b'])).toEqual([{ id, reason: 'the default variant is now c, not a' }]);
    const checked = await checkedOn(tuning, 'build1', ['a', 'b', 'c']);
    expect(tunedVariants(checked.tuning, device().device).variantFor(benchmark)).toBeUndefined();
  });

  it('is ignored once the code of the chosen or the default variant changed, or cannot be identified', async () => {
    const tuning = await tunedOn('build1');
    expect((await checkedOn(tuning, 'build2', ['a', 'b'])).ignored).toEqual([{ id, reason: 'the code of b changed since it was tuned' }]);
    expect((await checkedOn(tuning, undefined, ['a', 'b'])).ignored).toEqual([{ id, reason: 'the code of b has no kernel identity, so its choice cannot be checked' }]);
    expect((await checkedOn(await tunedOn(undefined), undefined, ['a', 'b'])).ignored).toEqual([{ id, reason: 'the code of b has no kernel identity, so its choice cannot be checked' }]);
  });

  it('is ignored when written before identities were recorded (schema 2): it cannot be checked', async () => {
    const tuning = await tunedOn('build1');
    const entry = entryOf(tuning);
    entry.candidates = entry.candidates.map(({ kernelIdentity: _, ...candidate }) => candidate);
    const checked = await checkedOn(tuning, 'build1', ['a', 'b']);
    expect(checked.ignored).toEqual([{ id, reason: legacyTuningReason }]);
    expect(checked.tuning!.devices[device().device.deviceKey]!.benchmarks).toEqual({});
  });

  it('an entry that kept its default pins nothing and is checked only when asked (autotune, deciding what is done)', async () => {
    const tuning = await tunedOn('build1');
    entryOf(tuning).variant = 'a';
    expect((await checkedOn(tuning, 'build2', ['a', 'b'])).ignored).toEqual([]);
    expect((await checkedOn(tuning, 'build2', ['a', 'b'], true)).ignored).toEqual([{ id, reason: 'the code of a changed since it was tuned' }]);
  });

  it('says it in one line per reason, with the command that tunes those entries again', () => {
    expect(ignoredTuningNotes([
      { id: 'k/n1', reason: legacyTuningReason }, { id: 'k/n2', reason: legacyTuningReason }, { id: 'k/n3', reason: 'the code of b changed since it was tuned' },
    ])).toEqual([
      `tuning.json: 2 entries for k/n1, k/n2 ignored, default variant used: ${legacyTuningReason}; tune again with \`ratchet autotune k/n1 k/n2\``,
      'tuning.json: the entry for k/n3 ignored, default variant used: the code of b changed since it was tuned; tune again with `ratchet autotune k/n3`',
    ]);
  });
});
