// The run history's record (run-record.ts), checked field by field like every other file of
// Ratchet. A dashboard reads half a million benchmark entries (1,000 benchmarks x 500 runs), and
// the path-tracking checks build a path string per field: so each record is first tested by a
// plain predicate that allocates nothing, and only a record it rejects goes through the checks,
// which then say where and why.
import {
  array, at, boolean, failWith, finite, integer, nonEmptyString, nonNegative, nullable, object, oneOf, positive, record,
  string, tuple2, type Check, type Where,
} from './_check.js';
import { verdicts } from './comparison.js';
import { RatchetError } from './errors.js';
import { runRecordSchemaVersion, type RunRecord, type RunRecordBenchmark } from './run-record.js';
import { checkTiming, schemaVersion } from './validate.js';
import { kernelName } from './validate-benchmark.js';

const isoTime: Check<string> = (v, w) =>
  typeof v === 'string' && Number.isFinite(Date.parse(v)) ? v : failWith(w, `expected an ISO 8601 time but received ${JSON.stringify(v)}`);

const checkPeer = object({ medianMs: positive, ci95MedianMs: tuple2(finite) });

const checkBenchmarkFields = object(
  {
    id: nonEmptyString, kernel: kernelName, dtype: nullable(string), status: oneOf(['ok', 'invalid'] as const), variant: string,
    kernelIdentity: nullable(nonEmptyString), medianMs: nullable(positive), ci95MedianMs: nullable(tuple2(finite)), n: integer(0),
    smClockMHz: nullable(positive), tflops: nullable(nonNegative), gbps: nullable(nonNegative),
    roof: nullable(oneOf(['compute', 'memory'] as const)), roofFraction: nullable(nonNegative),
  },
  { verdict: oneOf(verdicts), changePct: nullable(finite), peers: record(checkPeer), statistic: nonEmptyString },
);

const checkBenchmark: Check<RunRecordBenchmark> = (v, w) => {
  const benchmark = checkBenchmarkFields(v, w) as RunRecordBenchmark;
  // An imported figure (`statistic`) may have no CI: its harness kept none, and none is invented.
  if (benchmark.status === 'ok' && (benchmark.medianMs === null || (benchmark.ci95MedianMs === null && benchmark.statistic === undefined) || benchmark.n < 1)) {
    failWith(at(w, 'medianMs'), 'a benchmark with status "ok" needs a median, its CI and n >= 1');
  }
  return benchmark;
};

const checkRecord = object({
  schemaVersion: schemaVersion(runRecordSchemaVersion),
  project: nullable(nonEmptyString),
  time: isoTime,
  commit: nullable(nonEmptyString),
  branch: nullable(string),
  dirty: boolean,
  deviceKey: nonEmptyString,
  deviceName: string,
  peakTflops: nullable(nonNegative),
  peakGBps: nullable(nonNegative),
  timing: checkTiming,
  benchmarks: array(checkBenchmark),
});

const benchmarkKeys = new Set([
  'id', 'kernel', 'dtype', 'status', 'variant', 'kernelIdentity', 'medianMs', 'ci95MedianMs', 'n', 'smClockMHz', 'tflops', 'gbps', 'roof',
  'roofFraction', 'verdict', 'changePct', 'peers', 'statistic',
]);
const recordKeys = new Set(['schemaVersion', 'project', 'time', 'commit', 'branch', 'dirty', 'deviceKey', 'deviceName', 'peakTflops', 'peakGBps', 'timing', 'benchmarks']);
const timingKeys = new Set(['clock', 'warmup', 'l2Flush', 'launchesPerSample']);
const peerKeys = new Set(['medianMs', 'ci95MedianMs']);
const kernelPattern = /^[A-Za-z0-9_.-]+$/;

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (v: Loose, keys: Set<string>) => Object.keys(v).every((k) => keys.has(k));
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPositive = (v: unknown) => isFiniteNumber(v) && v > 0;
const isNonNegative = (v: unknown) => isFiniteNumber(v) && v >= 0;
const nullOr = (test: (v: unknown) => boolean) => (v: unknown) => v === null || test(v);
const isInterval = (v: unknown) => Array.isArray(v) && v.length === 2 && isFiniteNumber(v[0]) && isFiniteNumber(v[1]);
const isString = (v: unknown) => typeof v === 'string';
const isNonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
const isInteger = (min: number) => (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= min;

function plainPeers(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const name in v) {
    const peer = v[name];
    if (!isObject(peer) || !onlyKeys(peer, peerKeys) || !isPositive(peer.medianMs) || !isInterval(peer.ci95MedianMs)) return false;
  }
  return true;
}

function plainBenchmark(b: unknown): boolean {
  if (!isObject(b) || !onlyKeys(b, benchmarkKeys)) return false;
  const fields =
    isNonEmpty(b.id) && typeof b.kernel === 'string' && kernelPattern.test(b.kernel) && nullOr(isString)(b.dtype) &&
    (b.status === 'ok' || b.status === 'invalid') && isString(b.variant) && nullOr(isNonEmpty)(b.kernelIdentity) &&
    nullOr(isPositive)(b.medianMs) && nullOr(isInterval)(b.ci95MedianMs) && isInteger(0)(b.n) && nullOr(isPositive)(b.smClockMHz) &&
    nullOr(isNonNegative)(b.tflops) && nullOr(isNonNegative)(b.gbps) && (b.roof === null || b.roof === 'compute' || b.roof === 'memory') &&
    nullOr(isNonNegative)(b.roofFraction) && (b.verdict === undefined || (verdicts as readonly unknown[]).includes(b.verdict)) &&
    (b.changePct === undefined || nullOr(isFiniteNumber)(b.changePct)) && (b.peers === undefined || plainPeers(b.peers)) &&
    (b.statistic === undefined || isNonEmpty(b.statistic));
  return fields && (b.status !== 'ok' || (b.medianMs !== null && (b.ci95MedianMs !== null || b.statistic !== undefined) && (b.n as number) >= 1));
}

/** True when every check below would pass: no allocation, no message. */
function plainRecord(r: unknown): boolean {
  if (!isObject(r) || !onlyKeys(r, recordKeys)) return false;
  const t = r.timing;
  const timing =
    isObject(t) && onlyKeys(t, timingKeys) && (t.clock === 'cuda-events' || t.clock === 'steady-clock') && isInteger(0)(t.warmup) &&
    typeof t.l2Flush === 'boolean' && isInteger(1)(t.launchesPerSample);
  return (
    r.schemaVersion === runRecordSchemaVersion && nullOr(isNonEmpty)(r.project) && typeof r.time === 'string' && Number.isFinite(Date.parse(r.time)) &&
    nullOr(isNonEmpty)(r.commit) && nullOr(isString)(r.branch) && typeof r.dirty === 'boolean' && isNonEmpty(r.deviceKey) && isString(r.deviceName) &&
    nullOr(isNonNegative)(r.peakTflops) && nullOr(isNonNegative)(r.peakGBps) && timing && Array.isArray(r.benchmarks) && r.benchmarks.every(plainBenchmark)
  );
}

/**
 * One line of a run history. `file` names where it was read, `file:line` style, so every message
 * reads `<file>:<line>: <field>: expected ... but received ...`.
 */
export function validateRunRecord(value: unknown, file: string): RunRecord {
  const where: Where = { file, path: '', code: 'ERR_RATCHET_INVALID_HISTORY' };
  const runRecord = plainRecord(value) ? (value as RunRecord) : (checkRecord(value, where) as RunRecord);
  const seen = new Set<string>();
  runRecord.benchmarks.forEach((benchmark, index) => {
    if (seen.has(benchmark.id)) {
      throw new RatchetError('ERR_RATCHET_INVALID_HISTORY', `${file}: benchmarks[${index}].id: benchmark ${benchmark.id} appears twice in one record`, { file });
    }
    seen.add(benchmark.id);
  });
  return runRecord;
}
