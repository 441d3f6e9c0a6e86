import { describe, expect, it } from 'vitest';
import type { Device, RunResult, Summary } from './index.js';
import { parseJsonText, validateBaseline, validateConfigInput, validateRunResult } from './validate.js';

const device: Device = {
  backend: 'cpu', name: 'test cpu', deviceKey: 'cpu/x86_64/test', computeCapability: null, multiprocessorCount: 2,
  l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null,
  memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};
const summary: Summary = {
  n: 3, mean: 1, median: 1, std: 0.1, cv: 0.1, min: 0.9, max: 1.1, p05: 0.9, p25: 0.95, p75: 1.05, p95: 1.1, p99: 1.1,
  ci95Mean: [0.8, 1.2], ci95Median: [0.9, 1.1],
};
const benchmark = { kernel: 'flash_fwd', dtype: 'fp16' as const, B: 1, H: 2, S: 64, D: 64, causal: false };
const id = 'flash_fwd/fp16/B1_H2_S64_D64';
const runResult = (): RunResult => structuredClone({
  schemaVersion: 2, createdAt: '2026-11-23T00:00:00.000Z', git: null, device,
  timing: { clock: 'steady-clock', warmup: 1, l2Flush: false, launchesPerSample: 1 },
  measurements: [{
    id, benchmark, status: 'ok', variant: 'cpu-blocked', samplesMs: [0.9, 1, 1.1], summary, flops: 1, bytes: 1,
    tflops: 1, gbps: 1, roof: null, roofFraction: null,
    correctness: { passed: true, maxAbsError: 0, relError: 0, tolerance: 1e-3, reference: 'cpu-fp64' },
    stopReason: 'converged', clockStart: null, clockEnd: null,
  }],
});
const baseline = () => structuredClone({
  schemaVersion: 2,
  devices: { [device.deviceKey]: { device, benchmarks: { [id]: { summary, samplesMs: [0.9, 1, 1.1], variant: 'v', sha: null, acceptedAt: 't', acceptedAs: 'new' } } } },
});

describe('validateRunResult', () => {
  it('accepts a valid result and returns it unchanged', () => {
    expect(validateRunResult(runResult(), 'r.json')).toEqual(runResult());
  });
  it('names the file and the field of a wrong value', () => {
    const bad = runResult();
    (bad.measurements[0]!.benchmark as unknown as { S: number }).S = 1.5;
    expect(() => validateRunResult(bad, 'results/current.json')).toThrow(
      "results/current.json: measurements[0].benchmark.S: expected an integer, a boolean, or a name of letters, digits, '_', '.' or '-' but received 1.5 (number)",
    );
  });
  it('reads a schemaVersion 1 file (attention shapes only) as the current version, losing nothing', () => {
    const old = { ...runResult(), schemaVersion: 1 };
    expect(validateRunResult(old, 'r.json')).toEqual(runResult());
  });
  it('accepts a benchmark of any problem, its id built from its parameters in order', () => {
    const other = runResult();
    other.measurements[0]!.benchmark = { kernel: 'rmsnorm', dtype: 'bf16', rows: 4096, cols: 8192 } as never;
    other.measurements[0]!.id = 'rmsnorm/bf16/rows4096_cols8192';
    expect(validateRunResult(other, 'r.json').measurements[0]!.id).toBe('rmsnorm/bf16/rows4096_cols8192');
  });
  it('rejects a duplicated benchmark with its code', () => {
    const twice = runResult();
    twice.measurements.push(twice.measurements[0]!);
    expect(() => validateRunResult(twice, 'r.json')).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_DUPLICATE_BENCHMARK', message: 'r.json: measurements[1]: benchmark flash_fwd/fp16/B1_H2_S64_D64 appears twice (also at measurements[0])' }));
  });
  it('keeps the turns of an interleaved side, and refuses turns that do not add up to its samples', () => {
    const turned = runResult();
    turned.measurements[0]!.sampleTurns = [2, 0, 1];
    expect(validateRunResult(turned, 'r.json').measurements[0]!.sampleTurns).toEqual([2, 0, 1]);
    turned.measurements[0]!.sampleTurns = [2, 2];
    expect(() => validateRunResult(turned, 'r.json')).toThrow('r.json: measurements[0].sampleTurns: expected turns that add up to the 3 samples but they add up to 4');
    turned.measurements[0]!.sampleTurns = [1.5, 1.5];
    expect(() => validateRunResult(turned, 'r.json')).toThrow(/measurements\[0\]\.sampleTurns\[0\]: expected an integer/);
  });
  it('rejects an id that does not match its benchmark', () => {
    const bad = runResult();
    bad.measurements[0]!.id = 'flash_fwd/fp16/B9_H2_S64_D64';
    expect(() => validateRunResult(bad, 'r.json')).toThrow(/measurements\[0\]\.id: expected "flash_fwd\/fp16\/B1_H2_S64_D64"/);
  });
  it('rejects another schema version by name', () => {
    expect(() => validateRunResult({ ...runResult(), schemaVersion: 3 }, 'r.json')).toThrow('r.json: schemaVersion: schemaVersion 3 is not supported by this Ratchet (it reads 1 and 2; a newer Ratchet wrote this file?)');
  });
});

describe('validateBaseline', () => {
  it('accepts a valid baseline', () => {
    expect(validateBaseline(baseline(), 'b.json').devices[device.deviceKey]!.benchmarks[id]!.summary!.median).toBe(1);
  });
  it('points into device and benchmark keys with quoted segments', () => {
    const bad = baseline();
    (bad.devices[device.deviceKey]!.benchmarks[id]!.summary as unknown as { median: unknown }).median = 'fast';
    expect(() => validateBaseline(bad, '.ratchet/baseline.json')).toThrow(
      '.ratchet/baseline.json: devices["cpu/x86_64/test"].benchmarks["flash_fwd/fp16/B1_H2_S64_D64"].summary.median: expected a positive number but received "fast" (string)',
    );
  });
  it('requires a reason for an explicitly accepted figure', () => {
    const bad = baseline();
    (bad.devices[device.deviceKey]!.benchmarks[id] as { acceptedAs: string }).acceptedAs = 'accept';
    expect(() => validateBaseline(bad, 'b.json')).toThrow(/reason: an accepted \(possibly slower\) figure needs a non-empty reason/);
  });
  it('keeps an entry\'s autocorrelation and run medians, bounded, and refuses them out of range', () => {
    const good = baseline();
    Object.assign(good.devices[device.deviceKey]!.benchmarks[id]!, { autocorrelation: 0.4, runMedians: [{ sha: 'a', medianMs: 1 }, { sha: null, medianMs: 1.01 }], acceptedAs: 'correction' });
    expect(validateBaseline(good, 'b.json').devices[device.deviceKey]!.benchmarks[id]).toMatchObject({ autocorrelation: 0.4, runMedians: [{ sha: 'a', medianMs: 1 }, { sha: null, medianMs: 1.01 }] });
    const outOfRange = baseline();
    Object.assign(outOfRange.devices[device.deviceKey]!.benchmarks[id]!, { autocorrelation: 1.2 });
    expect(() => validateBaseline(outOfRange, 'b.json')).toThrow(/\.autocorrelation: expected a number from -1 to 1 but received 1\.2/);
    const tooMany = baseline();
    Object.assign(tooMany.devices[device.deviceKey]!.benchmarks[id]!, { runMedians: Array.from({ length: 11 }, () => ({ sha: null, medianMs: 1 })) });
    expect(() => validateBaseline(tooMany, 'b.json')).toThrow(/\.runMedians: expected an array of at most 10 items/);
  });
  it('rejects a key that is not a benchmark id', () => {
    const bad = baseline() as { devices: Record<string, { benchmarks: Record<string, unknown> }> };
    bad.devices[device.deviceKey]!.benchmarks['not an id'] = bad.devices[device.deviceKey]!.benchmarks[id];
    expect(() => validateBaseline(bad, 'b.json')).toThrow(/benchmarks\["not an id"\]: the key is not a benchmark id/);
  });
});

describe('validateConfigInput', () => {
  it('accepts a partial config', () => {
    expect(validateConfigInput({ thresholds: { regressionPct: 2 } }, 'ratchet.config.json')).toEqual({ thresholds: { regressionPct: 2 } });
  });
  it('names an unknown key and the keys it expected', () => {
    expect(() => validateConfigInput({ treshold: {} }, 'ratchet.config.json')).toThrow(
      "ratchet.config.json: (top level): unknown key 'treshold' (expected one of $schema, suites, thresholds, budgets, build, plugins, processes, paths)",
    );
  });
  it('checks budgets across fields', () => {
    expect(() => validateConfigInput({ budgets: { cpu: { minSamples: 10, maxSamples: 5 } } }, 'c.json')).toThrow('c.json: budgets.cpu.maxSamples: must be >= minSamples (10) but is 5');
  });
  it('rejects duplicate benchmarks in a suite', () => {
    expect(() => validateConfigInput({ suites: { cpu: [benchmark, benchmark] } }, 'c.json')).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_DUPLICATE_BENCHMARK' }));
  });
  it('lists problem sources: plugin paths and processes with their commands', () => {
    const input = { plugins: ['build/libk.so'], processes: [{ command: ['python3', 'softmax.py'], timeoutMs: 60_000 }] };
    expect(validateConfigInput(input, 'c.json')).toEqual(input);
    expect(() => validateConfigInput({ processes: [{ command: [] }] }, 'c.json')).toThrow('c.json: processes[0].command: expected a non-empty array but received [] (array)');
  });
});

describe('parseJsonText', () => {
  it('names the file, line and column of a syntax error', () => {
    expect(() => parseJsonText('{\n  "a": 1,\n}', 'x.json', 'ERR_RATCHET_INVALID_CONFIG')).toThrow(/^x\.json: not valid JSON \(.*at line 3, column 1\)$/);
  });
});
