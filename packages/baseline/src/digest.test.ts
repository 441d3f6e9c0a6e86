import { describe, expect, it } from 'vitest';
import { lognormal, medianCi, seededRandom, sortedSamples, summarize } from '@ratchet/stats';
import { expandDigest, isRatchetError, validateBaseline, type Baseline, type BaselineEntry } from '@ratchet/types';
import { gpu } from '../test/fixtures.js';
import { digestBaseline, digestEntry, digestGroups, digestSorted, entrySamples, undigestedEntries } from './digest.js';

const id = 'flash_fwd/fp16/B1_H1_S512_D64';
const entryOf = (samplesMs: number[], extra: Partial<BaselineEntry> = {}): BaselineEntry => ({
  summary: summarize(samplesMs), samplesMs: [...sortedSamples(samplesMs)], variant: 'v', sha: 'a'.repeat(40), acceptedAt: '2026-12-07T00:00:00.000Z', acceptedAs: 'new', ...extra,
});
const baselineOf = (entry: BaselineEntry): Baseline => ({ schemaVersion: 2, devices: { [gpu.deviceKey]: { device: gpu, benchmarks: { [id]: entry } } } });

/** A CUDA-event-like timer: 50 us kernels read to a 0.5 us tick, so a few values repeat. */
const ticked = (count: number, seed: number) => lognormal(seededRandom(seed), count, 0.05, 0.01).map((ms) => Math.round(ms / 0.0005) * 0.0005);

function refusal(value: unknown): string {
  try {
    validateBaseline(value, '.ratchet/baseline.json');
  } catch (error) {
    if (isRatchetError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'valid';
}

describe('a baseline entry digest', () => {
  it('is lossless for a ticking timer: each value with its count', () => {
    const samples = ticked(2000, 1);
    const sorted = sortedSamples(samples);
    const digest = digestSorted(sorted);
    expect(digest.groups.every(([low, high]) => low === high)).toBe(true);
    expect(expandDigest(digest)).toEqual(sorted);
    expect(digest.resolution).toBeCloseTo(0.0005, 12);
  });

  it(`keeps 2,000 continuous samples in ${digestGroups} runs and a few cuts, read back with every order statistic of the summary exact`, () => {
    const samples = lognormal(seededRandom(2), 2000, 1, 0.02);
    const sorted = sortedSamples(samples);
    const digest = digestSorted(sorted);
    expect(digest.groups.length).toBeLessThanOrEqual(digestGroups + 9);
    const back = expandDigest(digest);
    const [summary, again] = [summarize(samples), summarize(back)];
    for (const field of ['n', 'min', 'max', 'median', 'p05', 'p25', 'p75', 'p95', 'p99'] as const) expect(again[field], field).toBe(summary[field]);
    expect(medianCi(back)).toEqual(summary.ci95Median);
    // Read back evenly spread within each run: never further from a sample than its run is wide.
    const widest = Math.max(...digest.groups.map(([low, high]) => high - low));
    expect(back.every((value, i) => Math.abs(value - sorted[i]!) <= widest)).toBe(true);
  });

  it('keeps the one clock of samples taken at a steady clock, and a digest of their kilocycles where it varied', () => {
    const samples = lognormal(seededRandom(4), 500, 1, 0.02);
    const steady = digestEntry(entryOf(samples, { samplesKcycles: [...sortedSamples(samples)].map((ms) => ms * 1980) }));
    expect(steady.digest).toMatchObject({ steadyClockMHz: 1980 });
    expect(steady.digest!.samplesKcycles).toBeUndefined();
    expect(entrySamples(steady).kcycles).toEqual(expandDigest(steady.digest!.samplesMs).map((ms) => ms * 1980));
    const varying = digestEntry(entryOf(samples, { samplesKcycles: [...sortedSamples(samples.map((ms, i) => ms * (1900 + (i % 7) * 10)))] }));
    expect(varying.digest!.steadyClockMHz).toBeUndefined();
    expect(varying.digest!.samplesKcycles!.n).toBe(500);
  });

  it('digests every entry of every device once, and counts what is left to migrate', () => {
    const baseline = baselineOf(entryOf(ticked(300, 5)));
    expect(undigestedEntries(baseline)).toBe(1);
    const digested = digestBaseline(baseline);
    expect(undigestedEntries(digested)).toBe(0);
    expect(digestBaseline(digested)).toEqual(digested);
    expect(validateBaseline(JSON.parse(JSON.stringify(digested)), 'b.json')).toEqual(digested);
  });

  it('leaves an imported figure (reported statistics, no samples) as it is: nothing to digest, nothing to migrate', () => {
    const imported: BaselineEntry = { ...entryOf([1]), summary: null, samplesMs: [], reported: { kind: 'mean-std', n: 10, meanMs: 1, stdMs: 0.01 } };
    const baseline: Baseline = { schemaVersion: 2, devices: { [gpu.deviceKey]: { device: gpu, benchmarks: { [id]: entryOf(ticked(300, 5)), other: imported } } } };
    expect(undigestedEntries(baseline)).toBe(1);
    const digested = digestBaseline(baseline);
    expect(digested.devices[gpu.deviceKey]!.benchmarks.other).toEqual(imported);
    expect(undigestedEntries(digested)).toBe(0);
    expect(entrySamples(imported).samplesMs).toHaveLength(0);
    expect(validateBaseline(JSON.parse(JSON.stringify(digested)), 'b.json')).toEqual(digested);
    // A digest beside reported statistics is refused: they stand in for samples.
    const withDigest = structuredClone(digested);
    withDigest.devices[gpu.deviceKey]!.benchmarks.other!.digest = digested.devices[gpu.deviceKey]!.benchmarks[id]!.digest!;
    expect(refusal(withDigest)).toBe(`ERR_RATCHET_INVALID_BASELINE: .ratchet/baseline.json: devices["${gpu.deviceKey}"].benchmarks.other.reported: reported statistics stand in for samples: expected no samples, no digest and a null summary beside them`);
  });
});

describe('a digest that does not match its summary is refused (exit 2), naming the field', () => {
  const field = `devices["Test-GPU/sm90"].benchmarks["${id}"]`;
  const good = () => JSON.parse(JSON.stringify(digestBaseline(baselineOf(entryOf(lognormal(seededRandom(6), 400, 1, 0.02)))))) as Baseline;
  const entry = (b: Baseline) => b.devices[gpu.deviceKey]!.benchmarks[id]!;

  it('edited by hand: samples 1% slower than the summary says', () => {
    const edited = good();
    const digest = entry(edited).digest!.samplesMs;
    digest.groups = digest.groups.map(([low, high, count]) => [low * 1.01, high * 1.01, count]);
    const { min } = entry(edited).summary!;
    expect(refusal(edited)).toBe(
      `ERR_RATCHET_INVALID_BASELINE: .ratchet/baseline.json: ${field}.digest.samplesMs: does not match the summary: its min is ${digest.groups[0]![0]}, the summary's ${min} (a digest of other samples, or one edited by hand)`,
    );
  });

  it('a digest of another count of samples than the summary, runs that do not add up, a run of one sample with two values', () => {
    const other = good();
    entry(other).summary!.n += 1;
    expect(refusal(other)).toContain('.digest.samplesMs.n: 400 samples, but the summary is of 401: a digest of other samples than the summary\'s');
    const short = good();
    entry(short).digest!.samplesMs.groups[0]![2] += 1;
    expect(refusal(short)).toContain('.digest.samplesMs.groups: the runs hold 401 samples, not n = 400');
    const single = good();
    single.devices[gpu.deviceKey]!.benchmarks[id]!.digest!.samplesMs.groups[0] = [1, 2, 1];
    expect(refusal(single)).toContain('.digest.samplesMs.groups[0]: a run of one sample has one value, but lowest 1 and highest 2 differ');
  });

  it('an entry with both every sample and a digest, or neither', () => {
    const both = good();
    entry(both).samplesMs = [1];
    expect(refusal(both)).toBe(`ERR_RATCHET_INVALID_BASELINE: .ratchet/baseline.json: ${field}: holds both samplesMs and digest: expected one of them`);
    const neither = good();
    delete entry(neither).digest;
    expect(refusal(neither)).toBe(`ERR_RATCHET_INVALID_BASELINE: .ratchet/baseline.json: ${field}: expected samplesMs (every sample) or digest (the samples digested), but neither is there`);
  });
});
