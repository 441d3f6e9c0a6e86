// The run history's record (run-record.ts), checked field by field like every other file of
// Ratchet. Records are read by the hundred thousand (a dashboard over years of runs), so the
// checks are built once, here, not per call.
import {
  array, at, boolean, failWith, finite, integer, nonEmptyString, nonNegative, nullable, object, oneOf, positive, record,
  string, tuple2, type Check, type Where,
} from './_check.js';
import { verdicts } from './comparison.js';
import { RatchetError } from './errors.js';
import { runRecordSchemaVersion, type RunRecord, type RunRecordBenchmark } from './run-record.js';
import { checkTiming, kernelName, schemaVersion } from './validate.js';

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
  { verdict: oneOf(verdicts), changePct: nullable(finite), peers: record(checkPeer) },
);

const checkBenchmark: Check<RunRecordBenchmark> = (v, w) => {
  const benchmark = checkBenchmarkFields(v, w) as RunRecordBenchmark;
  if (benchmark.status === 'ok' && (benchmark.medianMs === null || benchmark.ci95MedianMs === null || benchmark.n < 1)) {
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

/**
 * One line of a run history. `file` names where it was read, `file:line` style, so every message
 * reads `<file>:<line>: <field>: expected ... but received ...`.
 */
export function validateRunRecord(value: unknown, file: string): RunRecord {
  const where: Where = { file, path: '', code: 'ERR_RATCHET_INVALID_HISTORY' };
  const runRecord = checkRecord(value, where) as RunRecord;
  const seen = new Set<string>();
  runRecord.benchmarks.forEach((benchmark, index) => {
    if (seen.has(benchmark.id)) {
      throw new RatchetError('ERR_RATCHET_INVALID_HISTORY', `${file}: benchmarks[${index}].id: benchmark ${benchmark.id} appears twice in one record`, { file });
    }
    seen.add(benchmark.id);
  });
  return runRecord;
}
