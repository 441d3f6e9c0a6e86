import { at, fail, failWith, type Where } from './_check.js';
import { BaselineSchema, HistoryEventSchema, baselineSchemaVersion, type Baseline, type BaselineEntry, type MoveEvent } from './baseline.js';
import type { ReportedStatistics } from './imported.js';
import { benchmarkId, type Benchmark } from './benchmark.js';
import { ComparisonSchema, comparisonSchemaVersion, verdicts, type Comparison } from './comparison.js';
import { RatchetConfigInputSchema, type MeasureBudget, type RatchetConfigInput } from './config.js';
import { checkSchema } from './schema-check.js';
import { schemaBaseUrl } from './schema-parts.js';
import { backends } from './device.js';
import type { RatchetErrorCode } from './errors.js';
import { RunResultSchema, runResultSchemaVersion, type Measurement, type RunResult } from './measurement.js';
import { MergedComparisonsSchema, type MergedComparisons, type ShardStamp } from './shard.js';
import { checkDigestMatchesSummary, checkEntryDigest } from './validate-digest.js';
import { TuningSchema, tuningSchemaVersion, type Tuning } from './tuning.js';
import { benchmarkForm } from './validate-benchmark.js';

export { maxJsonDepth, parseJsonText } from './json-text.js';

/** The rules of a measurement across its fields (MeasurementSchema holds each field alone). */
function checkMeasurement(m: Measurement, w: Where): void {
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
    checkReportedOrder(m.reported, at(w, 'reported'));
    if (m.samplesMs.length > 0 || m.summary !== null) failWith(at(w, 'reported'), 'reported statistics stand in for samples: expected no samples and a null summary beside them');
  } else if (m.status === 'ok' && (m.samplesMs.length === 0 || m.summary === null)) {
    failWith(at(w, 'samplesMs'), 'a measurement with status "ok" needs at least one sample and a summary (or the statistics its harness reported)');
  }
}

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

/** A shard stamp's rule across its fields (ShardStampSchema holds each alone). */
function checkShardStamp(stamp: ShardStamp | undefined, w: Where): void {
  if (stamp && stamp.index > stamp.count) failWith(at(w, 'index'), `shard ${stamp.index} of ${stamp.count}: expected an index from 1 to the count`);
}

export function validateRunResult(value: unknown, file: string): RunResult {
  const where = root(file, 'ERR_RATCHET_INVALID_RESULTS');
  const result = checkSchema<RunResult>(RunResultSchema, value, where);
  result.measurements.forEach((measurement, index) => checkMeasurement(measurement, at(at(where, 'measurements'), index)));
  checkShardStamp(result.shard, at(where, 'shard'));
  noDuplicates(result.measurements, (m) => m.id, where, 'measurements');
  // Version 1 is read as the current one: every change since was a widening.
  return { ...result, schemaVersion: runResultSchemaVersion };
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

/** One line of the baseline's moves log; errors name `file: line N`. */
export function validateMoveEvent(value: unknown, file: string, line: number): MoveEvent {
  return checkSchema<MoveEvent>(HistoryEventSchema, value, { file, path: `line ${line}`, code: 'ERR_RATCHET_INVALID_BASELINE' });
}

/** @deprecated The moves log's line was called a history event: use validateMoveEvent. */
export const validateHistoryEvent = validateMoveEvent;

export function validateComparison(value: unknown, file: string): Comparison {
  const where = root(file, 'ERR_RATCHET_INVALID_RESULTS');
  const comparison = checkSchema<Comparison>(ComparisonSchema, value, where);
  checkComparison(comparison, where);
  // Version 1 is read as the current one: every change since was a widening.
  return { ...comparison, schemaVersion: comparisonSchemaVersion };
}

/** The rules of a comparison across its fields (ComparisonSchema holds each field alone). */
function checkComparison(comparison: Comparison, where: Where): void {
  comparison.results.forEach((result, index) => {
    const w = at(at(where, 'results'), index);
    checkReportedOrder(result.reported?.baseline, at(at(w, 'reported'), 'baseline'));
    checkReportedOrder(result.reported?.current, at(at(w, 'reported'), 'current'));
  });
  noDuplicates(comparison.results, (r) => r.id, where, 'results');
  // CI passes or fails on the counts alone, so they must tally the results they summarise.
  for (const verdict of verdicts) {
    const tally = comparison.results.filter((r) => r.verdict === verdict).length;
    if (comparison.counts[verdict] !== tally) {
      failWith(at(at(where, 'counts'), verdict), `expected ${tally} (the results with this verdict) but received ${comparison.counts[verdict]}`);
    }
  }
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
  const merged = checkSchema<MergedComparisons>(MergedComparisonsSchema, value, root(file, 'ERR_RATCHET_INVALID_RESULTS'));
  // Each comparison's rules across its fields, said as a comparison file's (the schema pass above covered their fields).
  merged.comparisons.forEach((comparison, index) => checkComparison(comparison, root(`${file}: comparisons[${index}]`, 'ERR_RATCHET_INVALID_RESULTS')));
  return merged;
}

/** A merged file rather than one comparison: what `ratchet ci` and `report` tell apart by its `comparisons`. */
export function isMergedComparisons(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'comparisons' in value;
}
