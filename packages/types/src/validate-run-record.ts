// The run history's record (run-record.ts), checked against its schema. A dashboard reads half a
// million benchmark entries (1,000 benchmarks x 500 runs): the schema's first pass allocates
// nothing, and only a record it rejects is walked again to say where and why.
import { at, failWith, type Where } from './_check.js';
import { RatchetError } from './errors.js';
import { RunRecordSchema, type RunRecord } from './run-record.js';
import { checkSchema } from './schema-check.js';

/**
 * One line of a run history. `file` names where it was read, `file:line` style, so every message
 * reads `<file>:<line>: <field>: expected ... but received ...`.
 */
export function validateRunRecord(value: unknown, file: string): RunRecord {
  const where: Where = { file, path: '', code: 'ERR_RATCHET_INVALID_HISTORY' };
  const runRecord = checkSchema<RunRecord>(RunRecordSchema, value, where);
  const seen = new Set<string>();
  runRecord.benchmarks.forEach((benchmark, index) => {
    // An imported figure (`statistic`) may have no CI: its harness kept none, and none is invented.
    if (benchmark.status === 'ok' && (benchmark.medianMs === null || (benchmark.ci95MedianMs === null && benchmark.statistic === undefined) || benchmark.n < 1)) {
      failWith(at(at(at(where, 'benchmarks'), index), 'medianMs'), 'a benchmark with status "ok" needs a median, its CI and n >= 1');
    }
    if (seen.has(benchmark.id)) {
      throw new RatchetError('ERR_RATCHET_INVALID_HISTORY', `${file}: benchmarks[${index}].id: benchmark ${benchmark.id} appears twice in one record`, { file });
    }
    seen.add(benchmark.id);
  });
  return runRecord;
}
