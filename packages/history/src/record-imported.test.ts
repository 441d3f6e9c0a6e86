import { validateRunRecord } from '@ratchet/types';
import { describe, expect, it } from 'vitest';
import { measurement, runResult } from '../test/fixtures.js';
import { historyRecordFor } from './record.js';

describe('an imported run in the history', () => {
  it('keeps the figure its harness reported, says which statistic it is, and claims no CI it never had', () => {
    const run = runResult('2026-12-06T00:00:00.000Z', [1]);
    const imported = { ...measurement(512, null), status: 'ok' as const, summary: null, samplesMs: [], correctness: null, reported: { kind: 'mean-std' as const, n: 499, meanMs: 1.0034715849794225, stdMs: 0.0006 } };
    const record = historyRecordFor({ ...run, measurements: [imported], imported: { format: 'nvbench', harness: 'nvbench', harnessVersion: '0.1.0', files: ['ref.json'] } });
    expect(record.benchmarks[0]).toMatchObject({ status: 'ok', medianMs: 1.00347, ci95MedianMs: null, n: 499, statistic: 'mean', tflops: null });
    expect(validateRunRecord(JSON.parse(JSON.stringify(record)), 'runs.jsonl')).toEqual(record);
  });

  it('a benchmark of samples still needs its CI', () => {
    const record = historyRecordFor(runResult('2026-12-06T00:00:00.000Z', [1]));
    const broken = { ...record, benchmarks: [{ ...record.benchmarks[0]!, ci95MedianMs: null }] };
    expect(() => validateRunRecord(broken, 'runs.jsonl')).toThrow('runs.jsonl: benchmarks[0].medianMs: a benchmark with status "ok" needs a median, its CI and n >= 1');
  });
});
