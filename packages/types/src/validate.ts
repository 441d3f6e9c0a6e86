import {
  array, at, boolean, between, fail, failWith, positiveArray, finite, integer, literal, nonEmptyArray, nonEmptyString, nonNegative, nullable,
  object, oneOf, positive, record, shortArray, string, timerMs, tuple2, within, type Check, type Where,
} from './_check.js';
import { baselineSchemaVersion, runMediansKept, type Baseline, type BaselineEntry, type MoveEvent } from './baseline.js';
import { benchmarkId, isBenchmarkId, type Benchmark } from './benchmark.js';
import { comparisonSchemaVersion, verdicts, type Comparison } from './comparison.js';
import type { MeasureBudget, RatchetConfigInput } from './config.js';
import { backends, type Device } from './device.js';
import type { RatchetErrorCode } from './errors.js';
import { checkImportedFrom, checkReported } from './validate-imported.js';
import { runResultSchemaVersion, type Measurement, type RunResult, type Summary } from './measurement.js';
import { tuningSchemaVersion, type Tuning } from './tuning.js';
import { benchmarkForm } from './validate-benchmark.js';

export { maxJsonDepth, parseJsonText } from './json-text.js';

/**
 * The schema version of a file: the current one, or an older one this Ratchet still reads (read
 * as the current one: every change since was a widening). A newer one is refused by name.
 */
export const schemaVersion = <T extends number>(current: T, readable: readonly number[] = []): Check<T> => (v, w) => {
  if (typeof v === 'number' && readable.includes(v)) return current;
  if (typeof v === 'number' && v !== current) {
    failWith(w, `schemaVersion ${v} is not supported by this Ratchet (it reads ${[...readable, current].join(' and ')}; a newer Ratchet wrote this file?)`);
  }
  return literal(current, String(current))(v, w);
};

// Every statistic of a set of times is itself a time, so positive; spread may be exactly zero, and
// only the CI bounds may dip below zero (Student t on a few noisy samples).
export const checkSummary: Check<Summary> = object({
  n: integer(1), mean: positive, median: positive, std: nonNegative, cv: nonNegative, min: positive, max: positive,
  p05: positive, p25: positive, p75: positive, p95: positive, p99: positive,
  ci95Mean: tuple2(finite), ci95Median: tuple2(finite),
}) as Check<Summary>;

const checkDevice: Check<Device> = object({
  backend: oneOf(backends),
  name: string,
  deviceKey: nonEmptyString,
  computeCapability: nullable(string),
  multiprocessorCount: integer(0),
  l2CacheBytes: nullable(nonNegative),
  memoryBytes: nullable(nonNegative),
  driverVersion: nullable(string),
  runtimeVersion: nullable(string),
  smClockMHz: nullable(nonNegative),
  memoryClockMHz: nullable(nonNegative),
  peakBandwidthGBps: nullable(nonNegative),
  peakTflops: nullable(nonNegative),
});

const checkCorrectness = object(
  { passed: boolean, maxAbsError: nonNegative, relError: nonNegative, tolerance: nonNegative, reference: string },
  { detail: string, checksum: object({ sum: finite, absSum: nonNegative }) },
);
const checkClock = nullable(object({ smClockMHz: nullable(nonNegative), throttleReasons: array(string) }));
const checkGit = nullable(object({ sha: nonEmptyString, branch: nullable(string), dirty: boolean }));
export const checkTiming = object({
  clock: oneOf(['cuda-events', 'steady-clock'] as const),
  warmup: integer(0),
  l2Flush: boolean,
  launchesPerSample: integer(1),
});

const checkMeasurementFields = object({
  id: string,
  benchmark: benchmarkForm,
  status: oneOf(['ok', 'invalid'] as const),
  variant: string,
  samplesMs: positiveArray,
  summary: nullable(checkSummary),
  flops: nonNegative,
  bytes: nonNegative,
  tflops: nullable(nonNegative),
  gbps: nullable(nonNegative),
  roof: nullable(oneOf(['compute', 'memory'] as const)),
  roofFraction: nullable(nonNegative),
  correctness: nullable(checkCorrectness),
  stopReason: nullable(oneOf(['converged', 'max-samples', 'time-budget'] as const)),
  clockStart: checkClock,
  clockEnd: checkClock,
}, {
  discardedSamples: integer(0), samplesClockMHz: positiveArray, kernelIdentity: nullable(nonEmptyString), launchesPerSample: integer(1), sampleTurns: array(integer(0)),
  reported: checkReported, harnessName: string,
});

const checkMeasurement: Check<Measurement> = (v, w) => {
  const m = checkMeasurementFields(v, w) as Measurement;
  if (m.samplesClockMHz && m.samplesClockMHz.length !== m.samplesMs.length) {
    failWith(at(w, 'samplesClockMHz'), `expected one clock per sample (${m.samplesMs.length}) but received ${m.samplesClockMHz.length}`);
  }
  const turned = m.sampleTurns?.reduce((total, count) => total + count, 0);
  if (turned !== undefined && turned !== m.samplesMs.length) {
    failWith(at(w, 'sampleTurns'), `expected turns that add up to the ${m.samplesMs.length} samples but they add up to ${turned}`);
  }
  const expectedId = benchmarkId(m.benchmark);
  if (m.id !== expectedId) failWith(at(w, 'id'), `expected ${JSON.stringify(expectedId)} (the id of its benchmark) but received ${JSON.stringify(m.id)}`);
  if (m.reported) {
    if (m.samplesMs.length > 0 || m.summary !== null) failWith(at(w, 'reported'), 'reported statistics stand in for samples: expected no samples and a null summary beside them');
  } else if (m.status === 'ok' && (m.samplesMs.length === 0 || m.summary === null)) {
    failWith(at(w, 'samplesMs'), 'a measurement with status "ok" needs at least one sample and a summary (or the statistics its harness reported)');
  }
  return m;
};

function noDuplicates<T>(items: T[], idOf: (item: T) => string, where: Where, field: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const id = idOf(item);
    const first = seen.get(id);
    if (first !== undefined) {
      failWith(at(at(where, field), index), `benchmark ${id} appears twice (also at ${at(at(where, field), first).path})`, 'ERR_RATCHET_DUPLICATE_BENCHMARK');
    }
    seen.set(id, index);
  });
}

function root(file: string, code: RatchetErrorCode): Where {
  return { file, path: '', code };
}

/** A benchmark description, every field checked. */
/** A benchmark's form (kernel name, parameter names and values); its problem checks the rest. */
export function validateBenchmark(value: unknown, where: { file: string; field: string }): Benchmark {
  return benchmarkForm(value, { file: where.file, path: where.field, code: 'ERR_RATCHET_INVALID_BENCHMARK' });
}

/** When, from what commit, where and how a run was taken: a RunResult's header, which its comparison repeats. */
const runHeader = { createdAt: string, git: checkGit, device: checkDevice, timing: checkTiming };

export function validateRunResult(value: unknown, file: string): RunResult {
  const where = root(file, 'ERR_RATCHET_INVALID_RESULTS');
  const result = object({
    schemaVersion: schemaVersion(runResultSchemaVersion, [1]),
    ...runHeader,
    measurements: array(checkMeasurement),
  }, { imported: checkImportedFrom })(value, where) as RunResult;
  noDuplicates(result.measurements, (m) => m.id, where, 'measurements');
  return result;
}

const benchmarkKey = (key: string, where: Where) => {
  if (!isBenchmarkId(key)) failWith(at(where, key), `the key is not a benchmark id such as "flash_fwd/fp16/B32_H8_S512_D64"`);
};

/** Every device's benchmarks keyed by benchmark ids (a baseline's, a tuning file's). */
const benchmarkKeysOf = (devices: Record<string, { benchmarks: Record<string, unknown> }>, where: Where) => {
  for (const [deviceKey, device] of Object.entries(devices)) {
    const deviceWhere = at(at(at(where, 'devices'), deviceKey), 'benchmarks');
    for (const key of Object.keys(device.benchmarks)) benchmarkKey(key, deviceWhere);
  }
};

const moveEvents = ['new', 'improvement', 'accept', 'correction'] as const;

const checkBaselineEntry: Check<BaselineEntry> = (v, w) => {
  const entry = object(
    {
      summary: nullable(checkSummary), samplesMs: positiveArray, variant: string, sha: nullable(string),
      acceptedAt: string, acceptedAs: oneOf(moveEvents),
    },
    {
      reason: string, samplesKcycles: positiveArray, kernelIdentity: nonEmptyString, dirty: boolean,
      autocorrelation: within(-1, 1), runMedians: shortArray(object({ sha: nullable(string), medianMs: positive }), runMediansKept),
      reported: checkReported,
    },
  )(v, w) as BaselineEntry;
  // Samples and a summary, or the statistics an imported harness reported in their place: one or the other.
  if (entry.reported) {
    if (entry.samplesMs.length > 0 || entry.summary !== null) failWith(at(w, 'reported'), 'reported statistics stand in for samples: expected no samples and a null summary beside them');
  } else {
    if (entry.summary === null) fail(at(w, 'summary'), 'a summary (or `reported` statistics in place of samples)', null);
    if (entry.samplesMs.length === 0) fail(at(w, 'samplesMs'), 'a non-empty array', entry.samplesMs);
  }
  if (entry.samplesKcycles && entry.samplesKcycles.length !== entry.samplesMs.length) {
    failWith(at(w, 'samplesKcycles'), `expected one value per sample (${entry.samplesMs.length}) but received ${entry.samplesKcycles.length}`);
  }
  if (entry.acceptedAs === 'accept' && !entry.reason) failWith(at(w, 'reason'), 'an accepted (possibly slower) figure needs a non-empty reason');
  return entry;
};

export function validateBaseline(value: unknown, file: string): Baseline {
  const where = root(file, 'ERR_RATCHET_INVALID_BASELINE');
  const baseline = object({
    schemaVersion: schemaVersion(baselineSchemaVersion, [1]),
    devices: record(object({ device: checkDevice, benchmarks: record(checkBaselineEntry) })),
  })(value, where) as Baseline;
  benchmarkKeysOf(baseline.devices, where);
  return baseline;
}

/** One line of the baseline's moves log; errors name `file: line N`. */
export function validateMoveEvent(value: unknown, file: string, line: number): MoveEvent {
  return object(
    {
      time: string, deviceKey: nonEmptyString, benchmarkId: nonEmptyString,
      event: oneOf(moveEvents),
      fromMedianMs: nullable(positive), toMedianMs: positive, sha: nullable(string),
    },
    { reason: string },
  )(value, { file, path: `line ${line}`, code: 'ERR_RATCHET_INVALID_BASELINE' }) as MoveEvent;
}

/** @deprecated The moves log's line was called a history event: use validateMoveEvent. */
export const validateHistoryEvent = validateMoveEvent;

const suiteControls = ['holm', 'none'] as const;

/** Thresholds fields added since issue 13, checked alike in the config and in comparison files. */
const laterThresholds = {
  suiteControl: oneOf(suiteControls),
  runToRunPct: nonNegative,
  newEntryMaxCvPct: positive,
};

const thresholdKeys = ['regressionPct', 'relativeRegressionPct', 'improvementPct', 'alpha', 'suiteControl', 'runToRunPct', 'newEntryMaxCvPct'] as const;
const thresholdValue: Check<number | string | null> = (v, w) => (v === null || typeof v === 'string' ? v : finite(v, w));
const checkGateChanges = object({
  judgedWith: oneOf(['base', 'defaults', 'head'] as const),
  thresholds: array(object({ key: oneOf(thresholdKeys), base: thresholdValue, head: thresholdValue, looser: boolean })),
  removed: array(object({ id: string, measured: boolean }, { reason: string })),
  changed: array(string),
});

export function validateComparison(value: unknown, file: string): Comparison {
  const where = root(file, 'ERR_RATCHET_INVALID_RESULTS');
  const interval = nullable(tuple2(finite));
  const comparison = object({
    schemaVersion: schemaVersion(comparisonSchemaVersion, [1]),
    ...runHeader,
    thresholds: object({ regressionPct: positive, improvementPct: positive, alpha: between(0, 1) }, { relativeRegressionPct: positive, ...laterThresholds }),
    results: array(
      object({
        id: string, verdict: oneOf(verdicts), baseline: nullable(checkSummary), current: nullable(checkSummary),
        ratio: nullable(finite), ratioCi95: interval, changePct: nullable(finite), pValue: nullable(finite),
        reason: string, tflops: nullable(nonNegative), variant: nullable(string),
      }, {
        cycles: object({
          ratio: positive, ratioCi95: tuple2(finite), changePct: finite, pValue: between(0, 1), baselineClockMHz: positive, currentClockMHz: positive,
        }),
        aa: boolean,
        skipped: boolean,
        gbps: nullable(nonNegative),
        roof: nullable(oneOf(['compute', 'memory'] as const)),
        level: within(0, 1),
        decisionCi: tuple2(finite),
        autocorrelation: object({ baseline: within(-1, 1), current: within(-1, 1) }),
        effectiveN: object({ baseline: nonNegative, current: nonNegative }),
        paired: object({ turns: integer(1), autocorrelation: within(-1, 1), effectiveTurns: nonNegative }),
        runToRun: object({ pct: nonNegative, runs: integer(0) }),
        unstable: boolean,
        drift: oneOf(['slower', 'faster'] as const),
        evidence: oneOf(['samples', 'summary', 'none'] as const),
        reported: object({ baseline: nullable(checkReported), current: nullable(checkReported) }),
        harnessName: string,
        sensitivity: object({ mdcPct: nullable(positive), rule: oneOf(['interval', 'confirmation', 'unconfirmable'] as const) }),
      }),
    ),
    counts: object(Object.fromEntries(verdicts.map((v) => [v, integer(0)])) as Record<(typeof verdicts)[number], Check<number>>),
  }, {
    relative: object({ baseRef: string, baseSha: string }, {
      gate: checkGateChanges,
      cost: object({ benchmarks: integer(0), skipped: integer(0), measureMs: nonNegative, identityMs: nonNegative, notes: array(string) }),
    }),
    errorControl: object({ method: oneOf(suiteControls), alpha: between(0, 1), looks: integer(1), benchmarks: integer(0) }),
    imported: checkImportedFrom,
    sensitivity: object({ aimPct: positive, benchmarks: integer(0), withinAim: integer(0), mdcPct: nullable(positive), worstPct: nullable(positive) }),
  })(value, where) as Comparison;
  noDuplicates(comparison.results, (r) => r.id, where, 'results');
  // CI passes or fails on the counts alone, so they must tally the results they summarise.
  for (const verdict of verdicts) {
    const tally = comparison.results.filter((r) => r.verdict === verdict).length;
    if (comparison.counts[verdict] !== tally) {
      failWith(at(at(where, 'counts'), verdict), `expected ${tally} (the results with this verdict) but received ${comparison.counts[verdict]}`);
    }
  }
  return comparison;
}

const budgetShape = {
  warmup: integer(0), minSamples: integer(3), maxSamples: integer(3), minTimeMs: nonNegative, maxTimeMs: nonNegative,
  targetRelCiHalfWidth: between(0, 1), l2Flush: boolean, launchesPerSample: integer(1), minSampleTicks: integer(0),
};

const checkBudget: Check<Partial<MeasureBudget>> = (v, w) => {
  const budget = object({}, budgetShape)(v, w) as Partial<MeasureBudget>;
  if (budget.minSamples !== undefined && budget.maxSamples !== undefined && budget.maxSamples < budget.minSamples) {
    failWith(at(w, 'maxSamples'), `must be >= minSamples (${budget.minSamples}) but is ${budget.maxSamples}`);
  }
  if (budget.minTimeMs !== undefined && budget.maxTimeMs !== undefined && budget.maxTimeMs < budget.minTimeMs) {
    failWith(at(w, 'maxTimeMs'), `must be >= minTimeMs (${budget.minTimeMs}) but is ${budget.maxTimeMs}`);
  }
  return budget;
};

/** ratchet.config.json as written: every section optional, unknown keys rejected. */
export function validateConfigInput(value: unknown, file: string): RatchetConfigInput {
  const where = root(file, 'ERR_RATCHET_INVALID_CONFIG');
  const suite = array((v, w) => benchmarkForm(v, { ...w, code: 'ERR_RATCHET_INVALID_CONFIG' }));
  const process = object({ command: nonEmptyArray(nonEmptyString) }, { timeoutMs: timerMs });
  const perBackend = <T>(check: Check<T>) => object({}, Object.fromEntries(backends.map((b) => [b, check])) as Record<(typeof backends)[number], Check<T>>);
  const config = object(
    {},
    {
      $schema: string,
      suites: perBackend(suite),
      thresholds: object({}, { regressionPct: positive, relativeRegressionPct: positive, improvementPct: positive, alpha: between(0, 1), ...laterThresholds }),
      budgets: perBackend(checkBudget),
      build: object({ command: nonEmptyArray(nonEmptyString) }, { addon: nonEmptyString }),
      plugins: array(nonEmptyString),
      processes: array(process),
      paths: object({}, {
        baseline: nonEmptyString, moves: nonEmptyString, history: nonEmptyString, tuning: nonEmptyString,
        results: nonEmptyString, report: nonEmptyString, comparison: nonEmptyString,
      }),
    },
  )(value, where) as RatchetConfigInput;
  for (const backend of backends) {
    const benchmarks = config.suites?.[backend];
    if (benchmarks) noDuplicates(benchmarks, benchmarkId, at(where, 'suites'), backend);
  }
  return config;
}

export function validateTuning(value: unknown, file: string): Tuning {
  const where = root(file, 'ERR_RATCHET_INVALID_TUNING');
  const candidate = object(
    {
      variant: nonEmptyString, status: oneOf(['ok', 'invalid'] as const), medianMs: nullable(positive), samples: integer(0),
      ratio: nullable(positive), ratioCi: nullable(tuple2(finite)),
    },
    { detail: string, kernelIdentity: nullable(nonEmptyString) },
  );
  const entry = object({
    variant: nonEmptyString, defaultVariant: nonEmptyString, speedup: positive, confidence: between(0, 1),
    candidates: array(candidate), tunedAt: string, sha: nullable(string),
  });
  const tuning = object({
    schemaVersion: schemaVersion(tuningSchemaVersion, [1, 2]),
    devices: record(object({ deviceName: string, benchmarks: record(entry) })),
  })(value, where) as Tuning;
  benchmarkKeysOf(tuning.devices, where);
  return tuning;
}
