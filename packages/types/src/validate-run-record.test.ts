import { describe, expect, it } from 'vitest';
import type { RunRecord } from './index.js';
import { validateRunRecord } from './validate-run-record.js';

const record = (): RunRecord => structuredClone({
  schemaVersion: 1, project: 'github.com/acme/kernels', time: '2026-11-23T22:15:04.105Z', commit: 'abc', branch: 'main', dirty: false,
  deviceKey: 'gpu/sm90', deviceName: 'GPU', peakTflops: 989, peakGBps: 3350, timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 },
  benchmarks: [
    {
      id: 'flash_fwd/fp16/B1_H8_S512_D64', kernel: 'flash_fwd', dtype: 'fp16', status: 'ok', variant: 'v', kernelIdentity: 'sm_90:ab', medianMs: 0.08,
      ci95MedianMs: [0.079, 0.081], n: 200, smClockMHz: 1980, tflops: 6.4, gbps: 25, roof: 'memory', roofFraction: 0.12, verdict: 'unchanged', changePct: 0.1,
      peers: { 'torch-sdpa/flash': { medianMs: 0.07, ci95MedianMs: [0.069, 0.071] } },
    },
    {
      id: 'rmsnorm/bf16/rows4096_cols8192', kernel: 'rmsnorm', dtype: null, status: 'invalid', variant: 'v', kernelIdentity: null, medianMs: null,
      ci95MedianMs: null, n: 0, smClockMHz: null, tflops: null, gbps: null, roof: null, roofFraction: null,
    },
  ],
} as RunRecord);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a record bent out of shape on purpose
type Loose = Record<string, any>;

// Each breaks one rule; the fast predicate must reject every one so the checks can name it.
const broken: [string, (r: Loose) => void, RegExp][] = [
  ['an unknown key', (r) => (r.extra = 1), /unknown key 'extra'/],
  ['a wrong schema version', (r) => (r.schemaVersion = 2), /schemaVersion 2 is not supported/],
  ['a time that is not a time', (r) => (r.time = 'yesterday'), /time: expected an ISO 8601 time/],
  ['an empty project', (r) => (r.project = ''), /project: expected a non-empty string/],
  ['a string for dirty', (r) => (r.dirty = 'no'), /dirty: expected a boolean/],
  ['an unknown clock', (r) => (r.timing.clock = 'sundial'), /timing\.clock: expected one of/],
  ['zero launches per sample', (r) => (r.timing.launchesPerSample = 0), /timing\.launchesPerSample: expected an integer >= 1/],
  ['a negative n', (r) => (r.benchmarks[0].n = -1), /benchmarks\[0\]\.n: expected an integer >= 0/],
  ['a zero median', (r) => (r.benchmarks[0].medianMs = 0), /benchmarks\[0\]\.medianMs: expected a positive number/],
  ['a one-sided CI', (r) => (r.benchmarks[0].ci95MedianMs = [1]), /ci95MedianMs: expected a pair/],
  ['an ok benchmark with no median', (r) => (r.benchmarks[0].medianMs = null), /needs a median, its CI and n >= 1/],
  ['an unknown roof', (r) => (r.benchmarks[0].roof = 'cache'), /roof: expected one of/],
  ['an unknown verdict', (r) => (r.benchmarks[0].verdict = 'great'), /verdict: expected one of/],
  ['a bad kernel name', (r) => (r.benchmarks[0].kernel = 'a b'), /kernel: expected a kernel name/],
  ['a peer without a CI', (r) => delete r.benchmarks[0].peers['torch-sdpa/flash'].ci95MedianMs, /peers\["torch-sdpa\/flash"\]\.ci95MedianMs/],
  ['an unknown key in a benchmark', (r) => (r.benchmarks[1].samplesMs = []), /unknown key 'samplesMs'/],
  ['a NaN rate', (r) => (r.benchmarks[0].tflops = Number.NaN), /tflops: expected a non-negative number/],
];

describe('validateRunRecord', () => {
  it('accepts a record with every optional field, and one with none, unchanged', () => {
    expect(validateRunRecord(record(), 'r')).toEqual(record());
    const bare = record();
    for (const b of bare.benchmarks) { delete b.verdict; delete b.changePct; delete b.peers; }
    expect(validateRunRecord(bare, 'r')).toEqual(bare);
  });

  it.each(broken)('refuses %s, naming file:line and the field', (_, breakIt, message) => {
    const bad = record() as unknown as Loose;
    breakIt(bad);
    expect(() => validateRunRecord(bad, 'runs/gpu/2026-11.jsonl:3')).toThrow(message);
    expect(() => validateRunRecord(bad, 'runs/gpu/2026-11.jsonl:3')).toThrow(/^runs\/gpu\/2026-11\.jsonl:3: /);
  });

  it('refuses a benchmark twice in one record', () => {
    const twice = record();
    twice.benchmarks.push(structuredClone(twice.benchmarks[0]!));
    expect(() => validateRunRecord(twice, 'f:1')).toThrow('f:1: benchmarks[2].id: benchmark flash_fwd/fp16/B1_H8_S512_D64 appears twice in one record');
  });
});
