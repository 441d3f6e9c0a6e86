// Each format's JSON Schema file and its validator, held to the same documents: what the schema
// file refuses the validator refuses (with a message naming the field), and the other way round,
// except the rules no JSON Schema can state (counts that tally, a minimum below its maximum),
// which only the validator applies and which are listed here as such.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RatchetError } from './errors.js';
import { validateRunRecord } from './validate-run-record.js';
import { validateBaseline, validateConfigInput, validateHistoryEvent, validateTuning } from './validate.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Ajv in strict mode, knowing the one keyword of ours (`errorMessage`, which VS Code also reads). */
function compileSchemaFile(name: string): ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: true, formats: { 'date-time': (text: string) => Number.isFinite(Date.parse(text)) } });
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return ajv.compile(JSON.parse(readFileSync(`${packageDir}schema/${name}`, 'utf8')));
}

interface Corpus {
  file: string;
  validate: (doc: unknown) => unknown;
  valid: Record<string, unknown>;
  /** Refused by both, with this message. */
  invalid: Record<string, [doc: unknown, message: string | RegExp]>;
  /** Accepted by the schema file, refused by the validator (rules across fields). */
  validatorOnly: Record<string, [doc: unknown, message: string | RegExp]>;
}

const benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 2, S: 128, D: 64, causal: false };

const device = {
  backend: 'cpu', name: 'x86', deviceKey: 'cpu/x86_64', computeCapability: null, multiprocessorCount: 2, l2CacheBytes: null, memoryBytes: null,
  driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};
const summary = { n: 3, mean: 1, median: 1, std: 0.1, cv: 0.1, min: 0.9, max: 1.1, p05: 0.9, p25: 0.95, p75: 1.05, p95: 1.1, p99: 1.1, ci95Mean: [0.8, 1.2], ci95Median: [0.9, 1.1] };
const id = 'flash_fwd/fp16/B1_H2_S128_D64';
const entry = { summary, samplesMs: [0.9, 1, 1.1], variant: 'v1', sha: 'abc', acceptedAt: '2026-12-06T00:00:00Z', acceptedAs: 'new' };
const baseline = (change: Record<string, unknown> = {}, key = id) => ({ schemaVersion: 2, devices: { 'cpu/x86_64': { device, benchmarks: { [key]: { ...entry, ...change } } } } });
const reported = { kind: 'median-iqr', n: 10, medianMs: 1, p25Ms: 0.9, p75Ms: 1.1 };
const event = { time: '2026-12-06T00:00:00Z', deviceKey: 'cpu/x86_64', benchmarkId: id, event: 'improvement', fromMedianMs: 1.2, toMedianMs: 1, sha: null };

const candidate = { variant: 'v2', status: 'ok', medianMs: 0.9, samples: 30, ratio: 0.9, ratioCi: [0.85, 0.95], kernelIdentity: 'k2' };
const tuned = { variant: 'v2', defaultVariant: 'v1', speedup: 1.1, confidence: 0.975, candidates: [{ ...candidate, variant: 'v1', ratio: null, ratioCi: null }, candidate], tunedAt: '2026-12-06T00:00:00Z', sha: null };
const tuning = (change: Record<string, unknown> = {}, key = id) => ({ schemaVersion: 3, devices: { 'cpu/x86_64': { deviceName: 'x86', benchmarks: { [key]: { ...tuned, ...change } } } } });

const recorded = { id, kernel: 'flash_fwd', dtype: 'fp16', status: 'ok', variant: 'v1', kernelIdentity: null, medianMs: 1, ci95MedianMs: [0.9, 1.1], n: 30, smClockMHz: null, tflops: 1, gbps: null, roof: 'compute', roofFraction: null };
const record = (change: Record<string, unknown> = {}) => ({
  schemaVersion: 1, project: null, time: '2026-12-06T00:00:00Z', commit: 'abc', branch: 'main', dirty: false, deviceKey: 'cpu/x86_64', deviceName: 'x86',
  peakTflops: null, peakGBps: null, timing: { clock: 'steady-clock', warmup: 1, l2Flush: false, launchesPerSample: 1 }, benchmarks: [{ ...recorded, ...change }],
});

const corpora: Corpus[] = [
  {
    file: 'ratchet-config.schema.json',
    validate: (doc) => validateConfigInput(doc, 'ratchet.config.json'),
    valid: {
      empty: {},
      'every section': {
        $schema: './node_modules/@ratchet/types/schema/ratchet-config.schema.json',
        suites: { cpu: [benchmark], cuda: [{ ...benchmark, S: 4096 }] },
        thresholds: { regressionPct: 3, relativeRegressionPct: 1.5, improvementPct: 5, alpha: 0.05, suiteControl: 'none', runToRunPct: 0, newEntryMaxCvPct: 10 },
        budgets: { cuda: { warmup: 0, minSamples: 3, maxSamples: 100, minTimeMs: 0, maxTimeMs: 2000, targetRelCiHalfWidth: 0.005, l2Flush: true, launchesPerSample: 1, minSampleTicks: 0 } },
        build: { command: ['make'], addon: 'build/ratchet.node' },
        plugins: ['build/libk.so'],
        processes: [{ command: ['python3', 'bench.py'], timeoutMs: 60_000 }],
        paths: { baseline: 'b.json', history: 'h.jsonl', tuning: 't.json', results: 'r.json', report: 'r.md', comparison: 'c.json' },
      },
      'its schema by URL': { $schema: 'https://github.com/ratchet-gpu/ratchet/raw/main/packages/types/schema/ratchet-config.schema.json' },
    },
    invalid: {
      'a misspelt section': [{ treshold: {} }, /\(top level\): unknown key 'treshold' \(expected one of \$schema, suites/],
      'a negative threshold': [{ thresholds: { regressionPct: -1 } }, 'ratchet.config.json: thresholds.regressionPct: expected a positive number but received -1 (number)'],
      'alpha of 1': [{ thresholds: { alpha: 1 } }, 'thresholds.alpha: expected a number between 0 and 1 (exclusive) but received 1 (number)'],
      'an unknown suite control': [{ thresholds: { suiteControl: 'bonferroni' } }, 'thresholds.suiteControl: expected one of "holm", "none" but received "bonferroni" (string)'],
      'an unknown backend': [{ suites: { rocm: [] } }, "suites: unknown key 'rocm' (expected one of cpu, cuda)"],
      'a benchmark without a kernel': [{ suites: { cpu: [{ S: 1 }] } }, 'suites.cpu[0].kernel: expected a kernel name of letters'],
      'a parameter named with a dash': [{ suites: { cpu: [{ kernel: 'k', 'n-rows': 1 }] } }, 'suites.cpu[0]["n-rows"]: the key is not a parameter name of letters and digits'],
      'a fractional parameter': [{ suites: { cpu: [{ kernel: 'k', n: 1.5 }] } }, "suites.cpu[0].n: expected an integer, a boolean, or a name of letters, digits, '_', '.' or '-' but received 1.5"],
      'a benchmark that is a string': [{ suites: { cpu: ['k'] } }, 'suites.cpu[0]: expected an object with a "kernel" and its parameters but received "k" (string)'],
      'two samples at least': [{ budgets: { cpu: { minSamples: 2 } } }, 'budgets.cpu.minSamples: expected an integer >= 3 but received 2 (number)'],
      'a time limit a timer cannot hold': [{ processes: [{ command: ['x'], timeoutMs: 3e9 }] }, 'processes[0].timeoutMs: expected a time in milliseconds above 0 and at most 2147483647'],
      'an empty command': [{ processes: [{ command: [] }] }, 'processes[0].command: expected a non-empty array but received [] (array)'],
      'an empty plugin path': [{ plugins: [''] }, 'plugins[0]: expected a non-empty string but received "" (string)'],
      'a $schema that is not a string': [{ $schema: 1 }, '$schema: expected a string but received 1 (number)'],
      'an array': [[], 'ratchet.config.json: (top level): expected an object but received [] (array)'],
    },
    validatorOnly: {
      'maxSamples below minSamples': [{ budgets: { cpu: { minSamples: 10, maxSamples: 5 } } }, 'budgets.cpu.maxSamples: must be >= minSamples (10) but is 5'],
      'maxTimeMs below minTimeMs': [{ budgets: { cuda: { minTimeMs: 10, maxTimeMs: 5 } } }, 'budgets.cuda.maxTimeMs: must be >= minTimeMs (10) but is 5'],
      'a benchmark twice': [{ suites: { cpu: [benchmark, benchmark] } }, /suites\.cpu\[1\]: benchmark flash_fwd\/fp16\/B1_H2_S128_D64 appears twice/],
      "another file's schema": [{ $schema: '../node_modules/@ratchet/types/schema/ratchet-results.schema.json' }, '$schema: names ratchet-results.schema.json, the schema of another Ratchet file: expected ratchet-config.schema.json'],
    },
  },
  {
    file: 'ratchet-baseline.schema.json',
    validate: (doc) => validateBaseline(doc, 'baseline.json'),
    valid: {
      'an entry': baseline(),
      'version 1': { ...baseline(), schemaVersion: 1 },
      'an imported entry': baseline({ summary: null, samplesMs: [], reported }),
      'every optional field': baseline({ samplesKcycles: [1, 2, 3], kernelIdentity: 'k', dirty: false, acceptedAs: 'accept', reason: 'slower on purpose', autocorrelation: -0.2, runMedians: [{ sha: null, medianMs: 1 }] }),
    },
    invalid: {
      'a newer version': [{ ...baseline(), schemaVersion: 3 }, 'baseline.json: schemaVersion: schemaVersion 3 is not supported by this Ratchet (it reads 1 and 2; a newer Ratchet wrote this file?)'],
      'a key that is no benchmark id': [baseline({}, 'not an id'), 'benchmarks["not an id"]: the key is not a benchmark id such as'],
      'a zero sample': [baseline({ samplesMs: [0.9, 0, 1.1] }), 'benchmarks["flash_fwd/fp16/B1_H2_S128_D64"].samplesMs[1]: expected a positive number but received 0 (number)'],
      'an autocorrelation past 1': [baseline({ autocorrelation: 1.2 }), '.autocorrelation: expected a number from -1 to 1 but received 1.2'],
      'eleven run medians': [baseline({ runMedians: Array.from({ length: 11 }, () => ({ sha: null, medianMs: 1 })) }), '.runMedians: expected an array of at most 10 items'],
      'reported statistics of an unknown kind': [baseline({ summary: null, samplesMs: [], reported: { kind: 'mode', n: 1 } }), '.reported.kind: expected one of "mean-std", "median-iqr", "single" but received "mode"'],
      'reported statistics missing a field': [baseline({ summary: null, samplesMs: [], reported: { kind: 'mean-std', n: 3, meanMs: 1 } }), '.reported.stdMs: expected a non-negative number but received undefined'],
      'a device without its key': [{ ...baseline(), devices: { d: { device: { ...device, deviceKey: '' }, benchmarks: {} } } }, 'devices.d.device.deviceKey: expected a non-empty string'],
    },
    validatorOnly: {
      'an accepted figure without a reason': [baseline({ acceptedAs: 'accept' }), '.reason: an accepted (possibly slower) figure needs a non-empty reason'],
      'a clock reading short of the samples': [baseline({ samplesKcycles: [1] }), '.samplesKcycles: expected one value per sample (3) but received 1'],
      'reported statistics beside samples': [baseline({ reported }), '.reported: reported statistics stand in for samples'],
      'quartiles out of order': [baseline({ summary: null, samplesMs: [], reported: { ...reported, p25Ms: 1.5 } }), '.reported: expected p25Ms <= medianMs <= p75Ms but received 1.5, 1, 1.1'],
      'no samples and no statistics': [baseline({ samplesMs: [] }), '.samplesMs: expected a non-empty array but received []'],
    },
  },
  {
    file: 'ratchet-tuning.schema.json',
    validate: (doc) => validateTuning(doc, 'tuning.json'),
    valid: { 'an entry': tuning(), 'version 1': { ...tuning(), schemaVersion: 1 }, 'a candidate of unknown code': tuning({ candidates: [{ ...candidate, kernelIdentity: null, detail: 'x' }] }) },
    invalid: {
      'a newer version': [{ ...tuning(), schemaVersion: 4 }, 'tuning.json: schemaVersion: schemaVersion 4 is not supported by this Ratchet (it reads 1 and 2 and 3'],
      'a confidence of 1': [tuning({ confidence: 1 }), '.confidence: expected a number between 0 and 1 (exclusive) but received 1'],
      'an unknown status': [tuning({ candidates: [{ ...candidate, status: 'slow' }] }), '.candidates[0].status: expected one of "ok", "invalid" but received "slow"'],
      'a key that is no benchmark id': [tuning({}, 'a b'), 'benchmarks["a b"]: the key is not a benchmark id'],
      'an empty kernel identity': [tuning({ candidates: [{ ...candidate, kernelIdentity: '' }] }), '.candidates[0].kernelIdentity: expected a non-empty string but received ""'],
    },
    validatorOnly: {},
  },
  {
    file: 'ratchet-run-record.schema.json',
    validate: (doc) => validateRunRecord(doc, 'runs/cpu/2026-12.jsonl:4'),
    valid: {
      'a run': record(),
      'a judged run with peers': record({ verdict: 'unchanged', changePct: -0.4, peers: { cudnn: { medianMs: 1.1, ci95MedianMs: [1, 1.2] } } }),
      'an imported figure without a CI': record({ ci95MedianMs: null, statistic: 'mean' }),
      'an invalid benchmark': record({ status: 'invalid', medianMs: null, ci95MedianMs: null, n: 0 }),
    },
    invalid: {
      'a time that is no time': [{ ...record(), time: 'yesterday' }, 'runs/cpu/2026-12.jsonl:4: time: expected an ISO 8601 time but received "yesterday"'],
      'an unknown verdict': [record({ verdict: 'worse' }), 'benchmarks[0].verdict: expected one of "regression", "improvement"'],
      'a kernel name with a space': [record({ kernel: 'flash fwd' }), "benchmarks[0].kernel: expected a kernel name of letters, digits, '_', '.' or '-'"],
      'a newer version': [{ ...record(), schemaVersion: 2 }, 'schemaVersion: schemaVersion 2 is not supported by this Ratchet (it reads 1;'],
    },
    validatorOnly: {
      'an ok benchmark without a median': [record({ medianMs: null }), 'benchmarks[0].medianMs: a benchmark with status "ok" needs a median, its CI and n >= 1'],
      'a benchmark twice': [{ ...record(), benchmarks: [recorded, recorded] }, `benchmarks[1].id: benchmark ${id} appears twice in one record`],
    },
  },
  {
    file: 'ratchet-history-event.schema.json',
    validate: (doc) => validateHistoryEvent(doc, 'history.jsonl', 7),
    valid: { 'a step': event, 'a new entry': { ...event, event: 'new', fromMedianMs: null }, 'an accepted one': { ...event, event: 'accept', reason: 'r' } },
    invalid: {
      'an unknown event': [{ ...event, event: 'moved' }, 'history.jsonl: line 7.event: expected one of "new", "improvement", "accept", "correction" but received "moved"'],
      'a zero median': [{ ...event, toMedianMs: 0 }, 'line 7.toMedianMs: expected a positive number but received 0'],
      'an unknown key': [{ ...event, note: 'x' }, "line 7: unknown key 'note'"],
    },
    validatorOnly: {},
  },
];

function refusal(validate: (doc: unknown) => unknown, doc: unknown): RatchetError {
  try {
    validate(doc);
  } catch (error) {
    if (error instanceof RatchetError) return error;
    throw error;
  }
  throw new Error('the validator accepted it');
}

describe.each(corpora.map((corpus) => [corpus.file, corpus] as const))('%s and its validator', (name, corpus) => {
  const schemaAccepts = compileSchemaFile(name);
  it('the schema file compiles in strict Ajv', () => expect(schemaAccepts.schema).toMatchObject({ $id: expect.stringContaining(name) }));
  it.each(Object.entries(corpus.valid))('both accept %s', (_, doc) => {
    expect(schemaAccepts(doc), JSON.stringify(schemaAccepts.errors)).toBe(true);
    expect(() => corpus.validate(doc)).not.toThrow();
  });
  it.each(Object.entries(corpus.invalid))('both refuse %s, the validator naming the field', (_, [doc, message]) => {
    expect(schemaAccepts(doc)).toBe(false);
    expect(refusal(corpus.validate, doc).message).toMatch(typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message);
  });
  it.each(Object.entries(corpus.validatorOnly))('only the validator refuses %s (a rule across fields)', (_, [doc, message]) => {
    expect(schemaAccepts(doc)).toBe(true);
    expect(refusal(corpus.validate, doc).message).toMatch(typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message);
  });
});
