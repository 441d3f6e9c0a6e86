// Each format's JSON Schema file and its validator, held to the same documents: what the schema
// file refuses the validator refuses (with a message naming the field), and the other way round,
// except the rules no JSON Schema can state (counts that tally, a minimum below its maximum),
// which only the validator applies and which are listed here as such.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RatchetError } from './errors.js';
import { ProtocolMessageSchema } from './protocol.js';
import { checkSchema } from './schema-check.js';
import { validateRunRecord } from './validate-run-record.js';
import { validateBaseline, validateComparison, validateConfigInput, validateHistoryEvent, validateRunResult, validateTuning } from './validate.js';

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

const timing = { clock: 'steady-clock', warmup: 1, l2Flush: false, launchesPerSample: 1 };
const measured = {
  id, benchmark, status: 'ok', variant: 'v1', samplesMs: [1.1, 0.9, 1], summary, flops: 1e9, bytes: 1e6, tflops: 1, gbps: 1, roof: 'compute', roofFraction: null,
  correctness: { passed: true, maxAbsError: 0, relError: 0, tolerance: 0.01, reference: 'cpu-fp64' }, stopReason: 'converged', clockStart: null, clockEnd: null,
};
const results = (change: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  schemaVersion: 2, createdAt: '2026-12-06T00:00:00Z', git: { sha: 'abc', branch: 'main', dirty: false }, device, timing, measurements: [{ ...measured, ...change }], ...top,
});
const importedFrom = { format: 'pytest-benchmark', harness: 'pytest-benchmark', harnessVersion: '5.1.0', files: ['bench.json'], runs: 3 };

const judged = { id, verdict: 'unchanged', baseline: summary, current: summary, ratio: 1, ratioCi95: [0.98, 1.02], changePct: 0, pValue: 0.5, reason: 'r', tflops: 1, variant: 'v1' };
const noCounts = { regression: 0, improvement: 0, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0 };
const comparison = (change: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  schemaVersion: 2, createdAt: '2026-12-06T00:00:00Z', git: null, device, timing, thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 },
  results: [{ ...judged, ...change }], counts: { ...noCounts, [(change.verdict as string | undefined) ?? 'unchanged']: 1 }, ...top,
});
const everyResultField = {
  gbps: 2, roof: 'memory', cycles: { ratio: 1, ratioCi95: [0.99, 1.01], changePct: 0, pValue: 0.4, baselineClockMHz: 1980, currentClockMHz: 1755 }, aa: true, skipped: false,
  level: 0.025, decisionCi: [0.97, 1.03], autocorrelation: { baseline: 0.1, current: -0.1 }, effectiveN: { baseline: 28, current: 30 },
  paired: { turns: 4, autocorrelation: 0, effectiveTurns: 4 }, runToRun: { pct: 1, runs: 3 }, unstable: false, drift: 'faster', evidence: 'summary',
  reported: { baseline: reported, current: null }, harnessName: 'test_x[1]', sensitivity: { mdcPct: 2.5, rule: 'confirmation' },
};
const gate = { judgedWith: 'base', thresholds: [{ key: 'suiteControl', base: 'holm', head: 'none', looser: true }, { key: 'alpha', base: 0.05, head: null, looser: false }], removed: [{ id, measured: false, reason: 'gone' }], changed: ['build'] };
const cost = { benchmarks: 1, skipped: 0, measureMs: 10, identityMs: 1, notes: [] };

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
  {
    file: 'ratchet-results.schema.json',
    validate: (doc) => validateRunResult(doc, 'results/current.json'),
    valid: {
      'a run': results(),
      'version 1': results({}, { schemaVersion: 1 }),
      'outside git, an invalid measurement': results({ status: 'invalid', samplesMs: [], summary: null, tflops: null, gbps: null, roof: null, stopReason: null,
        correctness: { passed: false, maxAbsError: 3, relError: 0.5, tolerance: 0.02, reference: 'cpu-fp64', detail: 'too large', checksum: { sum: -1, absSum: 2 } } }, { git: null }),
      'every optional measurement field': results({ samplesClockMHz: [1980, 1980, 1965], kernelIdentity: 'sm_90:ab', discardedSamples: 2, sampleTurns: [2, 1], launchesPerSample: 4,
        clockStart: { smClockMHz: 1980, throttleReasons: ['sw_power_cap'] }, clockEnd: { smClockMHz: null, throttleReasons: [] } }),
      'an imported run': results({ samplesMs: [], summary: null, reported, harnessName: 'test_x[1]', correctness: null }, { imported: importedFrom }),
    },
    invalid: {
      'a newer version': [results({}, { schemaVersion: 3 }), 'results/current.json: schemaVersion: schemaVersion 3 is not supported by this Ratchet (it reads 1 and 2;'],
      'a zero sample': [results({ samplesMs: [1, 0, 1] }), 'measurements[0].samplesMs[1]: expected a positive number but received 0 (number)'],
      'an unknown status': [results({ status: 'slow' }), 'measurements[0].status: expected one of "ok", "invalid" but received "slow"'],
      'an unknown stop reason': [results({ stopReason: 'bored' }), 'measurements[0].stopReason: expected one of "converged", "max-samples", "time-budget" but received "bored"'],
      'a misspelt measurement field': [results({ sample: [] }), "measurements[0]: unknown key 'sample'"],
      'a benchmark without a kernel': [results({ benchmark: { S: 1 } }), 'measurements[0].benchmark.kernel: expected a kernel name'],
      'a git sha that is empty': [results({}, { git: { sha: '', branch: null, dirty: true } }), 'git.sha: expected a non-empty string but received ""'],
      'an unknown import format': [results({}, { imported: { ...importedFrom, format: 'criterion' } }), 'imported.format: expected one of "nvbench", "google-benchmark"'],
      'zero launches per sample': [results({}, { timing: { ...timing, launchesPerSample: 0 } }), 'timing.launchesPerSample: expected an integer >= 1 but received 0'],
    },
    validatorOnly: {
      'an id that is not its benchmark\'s': [results({ id: 'flash_fwd/x' }), `measurements[0].id: expected "${id}" (the id of its benchmark) but received "flash_fwd/x"`],
      'a benchmark twice': [{ ...results(), measurements: [measured, measured] }, `measurements[1]: benchmark ${id} appears twice (also at measurements[0])`],
      'a clock reading short of the samples': [results({ samplesClockMHz: [1980] }), 'measurements[0].samplesClockMHz: expected one clock per sample (3) but received 1'],
      'turns that do not add up': [results({ sampleTurns: [1, 1] }), 'measurements[0].sampleTurns: expected turns that add up to the 3 samples but they add up to 2'],
      'an ok measurement without samples': [results({ samplesMs: [] }), 'measurements[0].samplesMs: a measurement with status "ok" needs at least one sample and a summary'],
      'reported statistics beside samples': [results({ reported }), 'measurements[0].reported: reported statistics stand in for samples'],
      'quartiles out of order': [results({ samplesMs: [], summary: null, reported: { ...reported, p75Ms: 0.95 } }), 'measurements[0].reported: expected p25Ms <= medianMs <= p75Ms but received 0.9, 1, 0.95'],
    },
  },
  {
    file: 'ratchet-comparison.schema.json',
    validate: (doc) => validateComparison(doc, 'results/comparison.json'),
    valid: {
      'a verdict': comparison(),
      'version 1': comparison({}, { schemaVersion: 1 }),
      'a new benchmark': comparison({ verdict: 'new', baseline: null, ratio: null, ratioCi95: null, changePct: null, pValue: null, variant: null }),
      'every optional result field': comparison(everyResultField),
      'every optional run field': comparison({}, {
        thresholds: { regressionPct: 3, relativeRegressionPct: 1.5, improvementPct: 5, alpha: 0.05, suiteControl: 'holm', runToRunPct: 1, newEntryMaxCvPct: 10 },
        relative: { baseRef: 'main', baseSha: 'ba5e', gate, cost }, errorControl: { method: 'holm', alpha: 0.05, looks: 2, benchmarks: 1 }, imported: importedFrom,
        sensitivity: { aimPct: 6, benchmarks: 1, withinAim: 1, mdcPct: 2.5, worstPct: null },
      }),
      'a relative run of a base without a gate or cost': comparison({}, { relative: { baseRef: 'main', baseSha: 'ba5e' } }),
    },
    invalid: {
      'a newer version': [comparison({}, { schemaVersion: 3 }), 'results/comparison.json: schemaVersion: schemaVersion 3 is not supported by this Ratchet'],
      'an unknown verdict': [comparison({ verdict: 'faster' }), 'results[0].verdict: expected one of "regression", "improvement", "unchanged"'],
      'a count missing': [{ ...comparison(), counts: { ...noCounts, unchanged: 1, inconclusive: undefined } }, 'counts.inconclusive: expected an integer >= 0 but received undefined'],
      'a level outside [0, 1]': [comparison({ level: 1.5 }), 'results[0].level: expected a number from 0 to 1 but received 1.5'],
      'an unknown detection rule': [comparison({ sensitivity: { mdcPct: null, rule: 'guess' } }), 'results[0].sensitivity.rule: expected one of "interval", "confirmation", "unconfirmable"'],
      'an unknown threshold in the gate': [comparison({}, { relative: { baseRef: 'main', baseSha: 'ba5e', gate: { ...gate, thresholds: [{ key: 'speed', base: 1, head: 2, looser: true }] } } }),
        'relative.gate.thresholds[0].key: expected one of "regressionPct", "relativeRegressionPct"'],
      'a negative measuring time': [comparison({}, { relative: { baseRef: 'main', baseSha: 'ba5e', cost: { ...cost, measureMs: -1 } } }), 'relative.cost.measureMs: expected a non-negative number but received -1'],
      'an alpha of 1': [comparison({}, { thresholds: { regressionPct: 3, improvementPct: 5, alpha: 1 } }), 'thresholds.alpha: expected a number between 0 and 1 (exclusive) but received 1'],
      'a misspelt result field': [comparison({ verdit: 'new' }), "results[0]: unknown key 'verdit'"],
    },
    validatorOnly: {
      'counts that do not tally': [{ ...comparison(), counts: { ...noCounts, regression: 1 } }, 'counts.regression: expected 0 (the results with this verdict) but received 1'],
      'a benchmark judged twice': [{ ...comparison(), results: [judged, judged], counts: { ...noCounts, unchanged: 2 } }, `results[1]: benchmark ${id} appears twice (also at results[0])`],
      'reported quartiles out of order': [comparison({ reported: { baseline: { ...reported, p25Ms: 1.5 }, current: null } }), 'results[0].reported.baseline: expected p25Ms <= medianMs <= p75Ms but received 1.5, 1, 1.1'],
    },
  },
  {
    file: 'ratchet-protocol.schema.json',
    validate: (doc) => checkSchema(ProtocolMessageSchema, doc, { file: 'a protocol line', path: '', code: 'ERR_RATCHET_PROCESS' }),
    valid: {
      hello: { op: 'hello', protocol: 1 },
      'an open of a variant': { op: 'open', benchmark, variant: 'v1', seed: 3 },
      'a sample': { op: 'sample', session: 1, warmup: 0, samples: 10, l2Flush: true, launchesPerSample: 1 },
      'the problems of a process': { ok: true, protocol: 1, problems: [{ name: 'k', summary: 's', params: [{ name: 'n', type: 'int', min: 1, max: 8 }, { name: 'dtype', type: 'enum', values: ['fp16'] }, { name: 'causal', type: 'bool' }], variants: ['v'], backends: ['cpu'] }], package: { name: 'ratchet-problem', version: '1.0.0', path: null } },
      'a failed check by name': { ok: true, correctness: { passed: false, maxAbsError: 'NaN', relError: 'Infinity', tolerance: 0.01, reference: 'r', checksum: { sum: '-Infinity', absSum: 'Infinity' } } },
      'times without clocks': { ok: true, samplesMs: [0.5, 0.6], clockMHz: null },
      'a refused shape': { ok: false, kind: 'unsupported', error: 'n must be even' },
      'a field the reader does not know': { op: 'close', session: 1, note: 'ignored' },
    },
    invalid: {
      'an unknown op': [{ op: 'launch' }, 'a protocol line: (top level): expected an object but received {"op":"launch"}'],
      // A reply names no op, and its schema is open: the union holds a reply to the envelope only (core checks each against its request's schema).
      'no samples asked': [{ op: 'sample', session: 1, warmup: 0, samples: 0, l2Flush: false, launchesPerSample: 1 }, /a protocol line: \(top level\): expected an object/],
      'an ok that is no boolean': [{ ok: 'yes' }, /expected an object/],
      'a reply without ok': [{ samplesMs: [1] }, /expected an object/],
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
