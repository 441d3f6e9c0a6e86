import {
  array, at, boolean, between, fail, failWith, positiveArray, finite, integer, literal, nonEmptyArray, nonEmptyString, nonNegative, nullable,
  object, oneOf, positive, string, tuple2, within, type Check, type Where,
} from './_check.js';
import { BaselineSchema, HistoryEventSchema, baselineSchemaVersion, type Baseline, type BaselineEntry, type HistoryEvent } from './baseline.js';
import type { ReportedStatistics } from './imported.js';
import { benchmarkId, type Benchmark } from './benchmark.js';
import { comparisonSchemaVersion, verdicts, type Comparison } from './comparison.js';
import { RatchetConfigInputSchema, type MeasureBudget, type RatchetConfigInput } from './config.js';
import { checkSchema } from './schema-check.js';
import { schemaBaseUrl } from './schema-files.js';
import { backends, type Device } from './device.js';
import type { RatchetErrorCode } from './errors.js';
import { checkImportedFrom, checkReported } from './validate-imported.js';
import { runResultSchemaVersion, type Measurement, type RunResult, type Summary } from './measurement.js';
import { mergedSchemaVersion, type MergedComparisons, type ShardStamp } from './shard.js';
import { checkDigestMatchesSummary, checkEntryDigest } from './validate-digest.js';
import { TuningSchema, tuningSchemaVersion, type Tuning } from './tuning.js';
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
}, { index: integer(0), uuid: nullable(nonEmptyString) });

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

/** ShardStamp: which shard of which suite a run measured (shard.ts). */
const checkShardStamp: Check<ShardStamp> = (v, w) => {
  const stamp = object({
    index: integer(1), count: integer(1), suite: nonEmptyString, suiteSize: integer(0), config: nonEmptyString, build: nullable(nonEmptyString), against: nonEmptyString,
  })(v, w);
  if (stamp.index > stamp.count) failWith(at(w, 'index'), `shard ${stamp.index} of ${stamp.count}: expected an index from 1 to the count`);
  return stamp;
};

export function validateRunResult(value: unknown, file: string): RunResult {
  const where = root(file, 'ERR_RATCHET_INVALID_RESULTS');
  const result = object({
    schemaVersion: schemaVersion(runResultSchemaVersion, [1]),
    createdAt: string,
    git: checkGit,
    device: checkDevice,
    timing: checkTiming,
    measurements: array(checkMeasurement),
  }, { shard: checkShardStamp, imported: checkImportedFrom })(value, where) as RunResult;
  noDuplicates(result.measurements, (m) => m.id, where, 'measurements');
  return result;
}


/** Quartiles reported out of order (p25 <= median <= p75): a rule across fields, so checked here rather than in the schema. */
export function checkReportedOrder(stats: ReportedStatistics | undefined | null, where: Where): void {
  if (stats?.kind === 'median-iqr' && !(stats.p25Ms <= stats.medianMs && stats.medianMs <= stats.p75Ms)) {
    failWith(where, `expected p25Ms <= medianMs <= p75Ms but received ${stats.p25Ms}, ${stats.medianMs}, ${stats.p75Ms}`);
  }
}

/** The rules of a baseline entry across its fields (BaselineEntrySchema holds each field alone). */
function checkBaselineEntry(entry: BaselineEntry, w: Where): void {
  // Samples (every one, from before issue 26, or their digest: one of the two, never both) and a
  // summary, or the statistics an imported harness reported in their place.
  if (entry.reported) {
    checkReportedOrder(entry.reported, at(w, 'reported'));
    if ((entry.samplesMs?.length ?? 0) > 0 || entry.digest || entry.summary !== null) failWith(at(w, 'reported'), 'reported statistics stand in for samples: expected no samples, no digest and a null summary beside them');
  } else {
    if (entry.summary === null) fail(at(w, 'summary'), 'a summary (or `reported` statistics in place of samples)', null);
    if (entry.samplesMs?.length === 0) fail(at(w, 'samplesMs'), 'a non-empty array', entry.samplesMs);
    if ((entry.samplesMs === undefined) === (entry.digest === undefined)) {
      failWith(w, entry.digest ? 'holds both samplesMs and digest: expected one of them' : 'expected samplesMs (every sample) or digest (the samples digested), but neither is there');
    }
    if (entry.digest) {
      checkEntryDigest(entry.digest, at(w, 'digest'));
      checkDigestMatchesSummary(entry.digest, entry.summary, w);
    }
  }
  if (entry.digest && entry.samplesKcycles) failWith(at(w, 'samplesKcycles'), 'beside a digest the kilocycles are digest.samplesKcycles');
  if (entry.samplesMs && entry.samplesKcycles && entry.samplesKcycles.length !== entry.samplesMs.length) {
    failWith(at(w, 'samplesKcycles'), `expected one value per sample (${entry.samplesMs.length}) but received ${entry.samplesKcycles.length}`);
  }
  if (entry.acceptedAs === 'accept' && !entry.reason) failWith(at(w, 'reason'), 'an accepted (possibly slower) figure needs a non-empty reason');
}

export function validateBaseline(value: unknown, file: string): Baseline {
  const where = root(file, 'ERR_RATCHET_INVALID_BASELINE');
  const baseline = checkSchema<Baseline>(BaselineSchema, value, where);
  for (const [deviceKey, deviceBaseline] of Object.entries(baseline.devices)) {
    const deviceWhere = at(at(at(where, 'devices'), deviceKey), 'benchmarks');
    for (const [key, entry] of Object.entries(deviceBaseline.benchmarks)) checkBaselineEntry(entry, at(deviceWhere, key));
  }
  // Version 1 is read as the current one: every change since was a widening.
  return { ...baseline, schemaVersion: baselineSchemaVersion };
}

export function validateHistoryEvent(value: unknown, file: string, line: number): HistoryEvent {
  return checkSchema<HistoryEvent>(HistoryEventSchema, value, { file, path: `line ${line}`, code: 'ERR_RATCHET_INVALID_BASELINE' });
}

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
    createdAt: string,
    git: checkGit,
    device: checkDevice,
    timing: checkTiming,
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
    shard: checkShardStamp,
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

function checkBudget(budget: Partial<MeasureBudget>, w: Where): void {
  if (budget.minSamples !== undefined && budget.maxSamples !== undefined && budget.maxSamples < budget.minSamples) {
    failWith(at(w, 'maxSamples'), `must be >= minSamples (${budget.minSamples}) but is ${budget.maxSamples}`);
  }
  if (budget.minTimeMs !== undefined && budget.maxTimeMs !== undefined && budget.maxTimeMs < budget.minTimeMs) {
    failWith(at(w, 'maxTimeMs'), `must be >= minTimeMs (${budget.minTimeMs}) but is ${budget.maxTimeMs}`);
  }
}

/**
 * A config that names another of Ratchet's schemas (a results file's, copied from the wrong
 * example) would have an editor check it against that one: say so rather than accept it. Any
 * other name (a copy of the config schema under another name, a local path) is the user's own.
 */
function checkSchemaName(named: string, where: Where): void {
  const file = named.split(/[/\\]/).pop() ?? '';
  if (/^ratchet-[\w-]+\.schema\.json$/.test(file) && file !== 'ratchet-config.schema.json') {
    failWith(where, `names ${file}, the schema of another Ratchet file: expected ratchet-config.schema.json (${schemaBaseUrl}ratchet-config.schema.json, or ./node_modules/@ratchet/types/schema/ratchet-config.schema.json)`);
  }
}

/** ratchet.config.json as written (RatchetConfigInputSchema): every section optional, unknown keys rejected. */
export function validateConfigInput(value: unknown, file: string): RatchetConfigInput {
  const where = root(file, 'ERR_RATCHET_INVALID_CONFIG');
  const config = checkSchema<RatchetConfigInput>(RatchetConfigInputSchema, value, where);
  if (config.$schema !== undefined) checkSchemaName(config.$schema, at(where, '$schema'));
  for (const backend of backends) {
    const budget = config.budgets?.[backend];
    if (budget) checkBudget(budget, at(at(where, 'budgets'), backend));
    const benchmarks = config.suites?.[backend];
    if (benchmarks) noDuplicates(benchmarks, benchmarkId, at(where, 'suites'), backend);
  }
  return config;
}

export function validateTuning(value: unknown, file: string): Tuning {
  const tuning = checkSchema<Tuning>(TuningSchema, value, root(file, 'ERR_RATCHET_INVALID_TUNING'));
  // Versions 1 and 2 are read as the current one: every change since was a widening.
  return { ...tuning, schemaVersion: tuningSchemaVersion };
}

/** A `ratchet merge` output (shard.ts): each comparison checked as a comparison file is. */
export function validateMergedComparisons(value: unknown, file: string): MergedComparisons {
  const where = root(file, 'ERR_RATCHET_INVALID_RESULTS');
  const merged = object({
    schemaVersion: schemaVersion(mergedSchemaVersion, []),
    createdAt: string,
    git: checkGit,
    comparisons: nonEmptyArray((v, w) => validateComparison(v, `${file}: ${w.path}`)),
    shards: array(object({
      deviceKey: nonEmptyString, index: integer(1), count: integer(1), benchmarks: integer(0), deviceName: string, uuid: nullable(nonEmptyString), file: string,
    })),
  })(value, where) as MergedComparisons;
  return merged;
}

/** A merged file rather than one comparison: what `ratchet ci` and `report` tell apart by its `comparisons`. */
export function isMergedComparisons(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'comparisons' in value;
}
