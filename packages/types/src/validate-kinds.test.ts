// The validators validate.test.ts does not reach (benchmark, comparison, history, tuning) and the
// edge of each rule: what passes just inside it and the exact one-line message just outside.
import { describe, expect, it } from 'vitest';
import type { Comparison, Device, Measurement, RunResult, Summary, Tuning } from './index.js';
import {
  RatchetError, parseJsonText, validateBenchmark, validateComparison, validateConfigInput, validateMoveEvent,
  validateRunResult, validateTuning, verdicts,
} from './index.js';

const device: Device = {
  backend: 'cuda', name: 'NVIDIA H100 80GB HBM3', deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', computeCapability: '9.0',
  multiprocessorCount: 132, l2CacheBytes: 52428800, memoryBytes: 85031714816, driverVersion: '12.4', runtimeVersion: '12.4',
  smClockMHz: 1980, memoryClockMHz: 2619, peakBandwidthGBps: 3352, peakTflops: 989,
};
const summary: Summary = {
  n: 5, mean: 0.5, median: 0.5, std: 0.01, cv: 0.02, min: 0.49, max: 0.52, p05: 0.49, p25: 0.495, p75: 0.505, p95: 0.51,
  p99: 0.52, ci95Mean: [0.49, 0.51], ci95Median: [0.49, 0.51],
};
const benchmark = { kernel: 'flash_fwd', dtype: 'bf16' as const, B: 4, H: 8, S: 1024, D: 128, causal: true };
const id = 'flash_fwd/bf16/B4_H8_S1024_D128_causal';
const timing = { clock: 'cuda-events' as const, warmup: 10, l2Flush: true, launchesPerSample: 1 };

const comparison = (): Comparison => {
  const results: Comparison['results'] = [
    { id, verdict: 'regression', baseline: summary, current: { ...summary, median: 0.55 }, ratio: 1.1, ratioCi95: [1.08, 1.12],
      changePct: 10, pValue: 0.001, reason: '10.0% slower', tflops: 300, gbps: 200, roof: 'compute', variant: 'mma' },
    { id: 'flash_fwd/bf16/B1_H1_S64_D64', verdict: 'new', baseline: null, current: summary, ratio: null, ratioCi95: null,
      changePct: null, pValue: null, reason: 'no baseline yet', tflops: null, variant: 'mma' },
  ];
  const counts = Object.fromEntries(verdicts.map((v) => [v, results.filter((r) => r.verdict === v).length])) as Comparison['counts'];
  return { schemaVersion: 2, createdAt: '2026-11-23T12:00:00.000Z', git: { sha: 'abc123', branch: 'main', dirty: false },
    device, timing, thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 }, results, counts };
};

const measurement = (overrides: Partial<Measurement>): Measurement => ({
  id, benchmark, status: 'ok', variant: 'mma', samplesMs: [0.5, 0.49, 0.52], summary, flops: 1e12, bytes: 1e8, tflops: 300,
  gbps: 200, roof: 'compute', roofFraction: 0.3,
  correctness: { passed: true, maxAbsError: 0.001, relError: 0.002, tolerance: 0.02, reference: 'cuda-reference-fp32' },
  stopReason: 'converged', clockStart: { smClockMHz: 1980, throttleReasons: [] }, clockEnd: null, ...overrides,
});
const runResult = (measurements: Measurement[]): RunResult => ({
  schemaVersion: 2, createdAt: '2026-11-23T12:00:00.000Z', git: null, device, timing, measurements,
});

/** The RatchetError a call throws, so tests can assert its code, file and field as well as its text. */
function errorOf(call: () => unknown): RatchetError {
  try {
    call();
  } catch (error) {
    if (error instanceof RatchetError) return error;
    throw error;
  }
  throw new Error('expected a RatchetError, but the call returned');
}

describe('validateBenchmark', () => {
  const where = { file: 'ratchet.config.json', field: 'suites.cuda[2]' };
  it('accepts a causal bf16 benchmark and returns an equal copy', () => {
    expect(validateBenchmark(JSON.parse(JSON.stringify(benchmark)), where)).toEqual(benchmark);
  });
  it('sets code, file and field on the error', () => {
    const error = errorOf(() => validateBenchmark({ ...benchmark, D: 64.5 }, where));
    expect({ code: error.code, file: error.file, field: error.field, message: error.message }).toEqual({
      code: 'ERR_RATCHET_INVALID_BENCHMARK', file: 'ratchet.config.json', field: 'suites.cuda[2].D',
      message: "ratchet.config.json: suites.cuda[2].D: expected an integer, a boolean, or a name of letters, digits, '_', '.' or '-' but received 64.5 (number)",
    });
  });
  it('rejects a kernel name with a slash, which would break its id', () => {
    expect(errorOf(() => validateBenchmark({ ...benchmark, kernel: 'flash/fwd' }, where)).message).toBe(
      "ratchet.config.json: suites.cuda[2].kernel: expected a kernel name of letters, digits, '_', '.' or '-' but received \"flash/fwd\" (string)",
    );
  });
  it('rejects a value that cannot stand in an id (a name with a slash or a space)', () => {
    expect(errorOf(() => validateBenchmark({ ...benchmark, dtype: 'fp 16' }, where)).message).toBe(
      "ratchet.config.json: suites.cuda[2].dtype: expected an integer, a boolean, or a name of letters, digits, '_', '.' or '-' but received \"fp 16\" (string)",
    );
  });
  it('rejects a parameter name that would break the id', () => {
    expect(errorOf(() => validateBenchmark({ ...benchmark, 'block_m': 64 }, where)).message).toBe(
      "ratchet.config.json: suites.cuda[2]: parameter name 'block_m' must be letters and digits, starting with a letter",
    );
  });
  it('needs a kernel', () => {
    const { kernel: _missing, ...withoutKernel } = benchmark;
    expect(errorOf(() => validateBenchmark(withoutKernel, where)).message).toBe(
      "ratchet.config.json: suites.cuda[2].kernel: expected a kernel name of letters, digits, '_', '.' or '-' but received undefined (undefined)",
    );
  });
});

describe('validateRunResult measurements', () => {
  it('accepts an invalid measurement with no samples and no summary', () => {
    const invalid = measurement({ status: 'invalid', samplesMs: [], summary: null, tflops: null, gbps: null, stopReason: null,
      correctness: { passed: false, maxAbsError: 3, relError: 0.5, tolerance: 0.02, reference: 'cpu-fp64', detail: 'error too large' } });
    expect(validateRunResult(runResult([invalid]), 'r.json').measurements[0]!.status).toBe('invalid');
  });
  it('rejects an ok measurement without samples', () => {
    expect(errorOf(() => validateRunResult(runResult([measurement({ samplesMs: [] })]), 'r.json')).message).toBe(
      'r.json: measurements[0].samplesMs: a measurement with status "ok" needs at least one sample and a summary (or the statistics its harness reported)',
    );
  });
  it('rejects a zero sample time', () => {
    expect(errorOf(() => validateRunResult(runResult([measurement({ samplesMs: [0.5, 0] })]), 'r.json')).message).toBe(
      'r.json: measurements[0].samplesMs[1]: expected a positive number but received 0 (number)',
    );
  });
  it('rejects a negative median with the message of the contract', () => {
    const error = errorOf(() => validateRunResult(runResult([measurement({ summary: { ...summary, median: -1 } })]), 'results/current.json'));
    expect(error.message).toBe('results/current.json: measurements[0].summary.median: expected a positive number but received -1 (number)');
    expect(error.code).toBe('ERR_RATCHET_INVALID_RESULTS');
  });
  it('shows a long received value cut to 40 characters', () => {
    expect(errorOf(() => validateRunResult(runResult([measurement({ samplesMs: 'x'.repeat(100) as unknown as number[] })]), 'r.json')).message).toBe(
      `r.json: measurements[0].samplesMs: expected an array but received "${'x'.repeat(36)}... (string)`,
    );
  });
});

describe('validateComparison', () => {
  it('accepts a comparison that went through JSON and returns an equal object', () => {
    expect(validateComparison(JSON.parse(JSON.stringify(comparison())), 'comparison.json')).toEqual(comparison());
  });
  it('rejects counts that do not tally the results', () => {
    const bad = comparison();
    bad.counts.regression = 0;
    expect(errorOf(() => validateComparison(bad, 'comparison.json')).message).toBe(
      'comparison.json: counts.regression: expected 1 (the results with this verdict) but received 0',
    );
  });
  it('rejects a benchmark judged twice', () => {
    const bad = comparison();
    bad.results.push(bad.results[0]!);
    bad.counts.regression = 2;
    const error = errorOf(() => validateComparison(bad, 'comparison.json'));
    expect([error.code, error.message]).toEqual([
      'ERR_RATCHET_DUPLICATE_BENCHMARK', `comparison.json: results[2]: benchmark ${id} appears twice (also at results[0])`,
    ]);
  });
  it("accepts a relative run's gate (the base's config judged it) and names a threshold it does not know", () => {
    const gate = { judgedWith: 'base', thresholds: [{ key: 'relativeRegressionPct', base: 1.5, head: 50, looser: true }], removed: [{ id, measured: false, reason: 'no problem' }], changed: ['budgets.cpu'] };
    const relative = { ...comparison(), relative: { baseRef: 'main', baseSha: 'ba5e', gate } };
    expect(validateComparison(JSON.parse(JSON.stringify(relative)), 'comparison.json')).toEqual(relative);
    const bad = { ...relative, relative: { ...relative.relative, gate: { ...gate, thresholds: [{ ...gate.thresholds[0], key: 'regression' }] } } };
    expect(errorOf(() => validateComparison(bad, 'c.json')).message).toBe(
      'c.json: relative.gate.thresholds[0].key: expected one of "regressionPct", "relativeRegressionPct", "improvementPct", "alpha", "suiteControl", "runToRunPct", "newEntryMaxCvPct" but received "regression" (string)',
    );
  });
  it("accepts what a relative run skipped and cost, and refuses a negative time", () => {
    const skipped = comparison();
    Object.assign(skipped.results[1]!, { skipped: true, aa: true });
    const relative = { ...skipped, relative: { baseRef: 'main', baseSha: 'ba5e', cost: { benchmarks: 2, skipped: 1, measureMs: 812.5, identityMs: 3.25, notes: ['the harness differs'] } } };
    expect(validateComparison(JSON.parse(JSON.stringify(relative)), 'comparison.json')).toEqual(relative);
    const bad = { ...relative, relative: { ...relative.relative, cost: { ...relative.relative.cost, measureMs: -1 } } };
    expect(errorOf(() => validateComparison(bad, 'c.json')).message).toBe('c.json: relative.cost.measureMs: expected a non-negative number but received -1 (number)');
  });
  it('rejects an alpha of 1', () => {
    expect(errorOf(() => validateComparison({ ...comparison(), thresholds: { regressionPct: 3, improvementPct: 5, alpha: 1 } }, 'c.json')).message).toBe(
      'c.json: thresholds.alpha: expected a number between 0 and 1 (exclusive) but received 1 (number)',
    );
  });
  it('accepts the fields of a verdict judged with error control, and refuses a level outside [0, 1]', () => {
    const judged = comparison();
    Object.assign(judged.results[0]!, {
      level: 0.0025, decisionCi: [1.05, 1.15], autocorrelation: { baseline: 0.1, current: -0.05 }, effectiveN: { baseline: 180, current: 220 },
      runToRun: { pct: 1, runs: 1 }, drift: 'slower',
    });
    Object.assign(judged.results[1]!, { unstable: true });
    judged.errorControl = { method: 'holm', alpha: 0.05, looks: 2, benchmarks: 1 };
    expect(validateComparison(JSON.parse(JSON.stringify(judged)), 'comparison.json')).toEqual(judged);
    Object.assign(judged.results[0]!, { level: 1.5 });
    expect(errorOf(() => validateComparison(judged, 'c.json')).message).toBe('c.json: results[0].level: expected a number from 0 to 1 but received 1.5 (number)');
  });
  it('rejects an unknown verdict with the list of verdicts', () => {
    const bad = comparison();
    (bad.results[1] as { verdict: string }).verdict = 'faster';
    expect(errorOf(() => validateComparison(bad, 'c.json')).message).toBe(
      'c.json: results[1].verdict: expected one of "regression", "improvement", "unchanged", "new", "missing", "invalid", "inconclusive" but received "faster" (string)',
    );
  });
});

describe('validateMoveEvent', () => {
  const event = { time: '2026-11-23T12:00:00.000Z', deviceKey: device.deviceKey, benchmarkId: id, event: 'improvement',
    fromMedianMs: 0.6, toMedianMs: 0.5, sha: 'abc123' };
  it('accepts an improvement event', () => {
    expect(validateMoveEvent(event, '.ratchet/history.jsonl', 1)).toEqual(event);
  });
  it('accepts a correction (the same code measured faster), and no other kind', () => {
    expect(validateMoveEvent({ ...event, event: 'correction' }, '.ratchet/history.jsonl', 1)).toMatchObject({ event: 'correction' });
    expect(errorOf(() => validateMoveEvent({ ...event, event: 'drift' }, '.ratchet/history.jsonl', 2)).message).toBe(
      '.ratchet/history.jsonl: line 2.event: expected one of "new", "improvement", "accept", "correction" but received "drift" (string)',
    );
  });
  it('starts the field path with the line number', () => {
    expect(errorOf(() => validateMoveEvent({ ...event, toMedianMs: 0 }, '.ratchet/history.jsonl', 7)).message).toBe(
      '.ratchet/history.jsonl: line 7.toMedianMs: expected a positive number but received 0 (number)',
    );
  });
});

describe('validateTuning', () => {
  const tuning = (): Tuning => ({
    schemaVersion: 3,
    devices: { [device.deviceKey]: { deviceName: device.name, benchmarks: { [id]: {
      variant: 'mma-128', defaultVariant: 'mma', speedup: 1.2, confidence: 0.975, tunedAt: '2026-11-23T12:00:00.000Z', sha: null,
      candidates: [
        { variant: 'mma', status: 'ok', medianMs: 0.6, samples: 30, ratio: null, ratioCi: null, kernelIdentity: `sm_90:${'a'.repeat(64)}` },
        { variant: 'mma-128', status: 'ok', medianMs: 0.5, samples: 30, ratio: 0.83, ratioCi: [0.8, 0.86], kernelIdentity: null },
      ],
    } } } },
  });
  it('accepts a tuning file and returns an equal object', () => {
    expect(validateTuning(JSON.parse(JSON.stringify(tuning())), '.ratchet/tuning.json')).toEqual(tuning());
  });
  it('reads a schema 2 file, whose candidates record no kernel identity, as it is', () => {
    const legacy = tuning();
    const entry = legacy.devices[device.deviceKey]!.benchmarks[id]!;
    entry.candidates = entry.candidates.map(({ kernelIdentity: _, ...candidate }) => candidate);
    const read = validateTuning({ ...JSON.parse(JSON.stringify(legacy)), schemaVersion: 2 }, '.ratchet/tuning.json');
    expect(read).toEqual(legacy);
    expect(read.devices[device.deviceKey]!.benchmarks[id]!.candidates.every((c) => !('kernelIdentity' in c))).toBe(true);
  });
  it('names an infinite figure (1e999 in the file) as Infinity, not as the null JSON would write', () => {
    const text = JSON.stringify(tuning()).replace('"speedup":1.2', '"speedup":1e999');
    expect(errorOf(() => validateTuning(JSON.parse(text), '.ratchet/tuning.json')).message).toBe(
      `.ratchet/tuning.json: devices["NVIDIA-H100-80GB-HBM3/sm90"].benchmarks["${id}"].speedup: expected a positive number but received Infinity (number)`,
    );
  });
  it('rejects a benchmark key that is not an id, with the tuning code', () => {
    const bad = tuning();
    const benchmarks = bad.devices[device.deviceKey]!.benchmarks;
    benchmarks['flash_fwd//B1 H1'] = benchmarks[id]!;
    const error = errorOf(() => validateTuning(bad, '.ratchet/tuning.json'));
    expect([error.code, error.message]).toEqual([
      'ERR_RATCHET_INVALID_TUNING',
      '.ratchet/tuning.json: devices["NVIDIA-H100-80GB-HBM3/sm90"].benchmarks["flash_fwd//B1 H1"]: the key is not a benchmark id such as "flash_fwd/fp16/B32_H8_S512_D64"',
    ]);
  });
});

describe('validateConfigInput sections', () => {
  const check = (value: unknown) => errorOf(() => validateConfigInput(value, 'ratchet.config.json')).message;
  it('accepts every section filled in', () => {
    const config = {
      $schema: './ratchet.schema.json',
      suites: { cpu: [{ ...benchmark, S: 64 }], cuda: [benchmark] },
      thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 },
      budgets: { cuda: { warmup: 10, minSamples: 3, maxSamples: 3, minTimeMs: 100, maxTimeMs: 100, targetRelCiHalfWidth: 0.005, l2Flush: true, launchesPerSample: 8 } },
      paths: { baseline: '.ratchet/baseline.json', results: 'out/results.json' },
    };
    expect(validateConfigInput(JSON.parse(JSON.stringify(config)), 'ratchet.config.json')).toEqual(config);
  });
  it('rejects an unknown key inside a section', () => {
    expect(check({ thresholds: { regression: 3 } })).toBe(
      "ratchet.config.json: thresholds: unknown key 'regression' (expected one of regressionPct, relativeRegressionPct, improvementPct, alpha, suiteControl, runToRunPct, newEntryMaxCvPct)",
    );
  });
  it('rejects a backend it does not know', () => {
    expect(check({ budgets: { rocm: {} } })).toBe("ratchet.config.json: budgets: unknown key 'rocm' (expected one of cpu, cuda)");
  });
  it('rejects fewer than 3 minimum samples, which leave no median CI', () => {
    expect(check({ budgets: { cuda: { minSamples: 2 } } })).toBe('ratchet.config.json: budgets.cuda.minSamples: expected an integer >= 3 but received 2 (number)');
  });
  it('rejects a time cap under the time floor', () => {
    expect(check({ budgets: { cpu: { minTimeMs: 500, maxTimeMs: 100 } } })).toBe('ratchet.config.json: budgets.cpu.maxTimeMs: must be >= minTimeMs (500) but is 100');
  });
  it('rejects a CI target given as a percentage', () => {
    expect(check({ budgets: { cpu: { targetRelCiHalfWidth: 5 } } })).toBe(
      'ratchet.config.json: budgets.cpu.targetRelCiHalfWidth: expected a number between 0 and 1 (exclusive) but received 5 (number)',
    );
  });
  it('rejects a zero regression threshold', () => {
    expect(check({ thresholds: { regressionPct: 0 } })).toBe('ratchet.config.json: thresholds.regressionPct: expected a positive number but received 0 (number)');
  });
  it('rejects an empty path', () => {
    expect(check({ paths: { report: '' } })).toBe('ratchet.config.json: paths.report: expected a non-empty string but received "" (string)');
  });
  it('names both positions of a benchmark listed twice in a suite', () => {
    expect(check({ suites: { cuda: [benchmark, { ...benchmark, S: 64 }, benchmark] } })).toBe(
      `ratchet.config.json: suites.cuda[2]: benchmark ${id} appears twice (also at suites.cuda[0])`,
    );
  });
  it('gives a suite benchmark the config code, not the benchmark code', () => {
    expect(errorOf(() => validateConfigInput({ suites: { cpu: [{ ...benchmark, B: 0.5 }] } }, 'c.json')).code).toBe('ERR_RATCHET_INVALID_CONFIG');
  });
  it('accepts the suite-wide control, run-to-run spread and new-entry bound, and names a bad one', () => {
    const thresholds = { suiteControl: 'none', runToRunPct: 0, newEntryMaxCvPct: 5 };
    expect(validateConfigInput({ thresholds }, 'ratchet.config.json')).toEqual({ thresholds });
    expect(check({ thresholds: { suiteControl: 'bonferroni' } })).toBe(
      'ratchet.config.json: thresholds.suiteControl: expected one of "holm", "none" but received "bonferroni" (string)',
    );
    expect(check({ thresholds: { runToRunPct: -1 } })).toBe('ratchet.config.json: thresholds.runToRunPct: expected a non-negative number but received -1 (number)');
    expect(check({ budgets: { cuda: { minSampleTicks: 0.5 } } })).toBe('ratchet.config.json: budgets.cuda.minSampleTicks: expected an integer >= 0 but received 0.5 (number)');
  });
  it('rejects a config that is not an object', () => {
    expect(check([])).toBe('ratchet.config.json: (top level): expected an object but received [] (array)');
  });
});

describe('parseJsonText', () => {
  const messageOf = (text: string) => errorOf(() => parseJsonText(text, 'results/current.json', 'ERR_RATCHET_INVALID_RESULTS')).message;
  it('returns the parsed value of valid JSON', () => {
    expect(parseJsonText('{"a": [1, 2]}', 'x.json', 'ERR_RATCHET_INVALID_CONFIG')).toEqual({ a: [1, 2] });
  });
  it('gives the line and column of text after the value', () => {
    expect(messageOf('{"a": 1}\n  x')).toBe('results/current.json: not valid JSON (Unexpected non-whitespace character after JSON at line 2, column 3)');
  });
  it('places a truncated file at its end', () => {
    expect(messageOf('{\n  "a": [1,\n')).toBe('results/current.json: not valid JSON (Unexpected end of JSON input at line 2, column 11)');
  });
  it('keeps to one line when the bad token is a newline', () => {
    expect(messageOf('{\n "a": tru\n}')).toBe("results/current.json: not valid JSON (Unexpected token '\\n')");
  });
  it('places a bad first token at line 1, column 1', () => {
    expect(messageOf('undefined')).toBe("results/current.json: not valid JSON (Unexpected token 'u' at line 1, column 1)");
  });
  it('carries the code and file it was given', () => {
    const error = errorOf(() => parseJsonText('', 'ratchet.config.json', 'ERR_RATCHET_INVALID_CONFIG'));
    expect([error.code, error.file]).toEqual(['ERR_RATCHET_INVALID_CONFIG', 'ratchet.config.json']);
  });
});
