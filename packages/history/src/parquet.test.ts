import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '@ratchet/types';
import { syntheticHistory } from '../../../scripts/synthetic-history.mjs';
import { runResult } from '../test/fixtures.js';
import { importSavedRuns } from './import.js';
import { parquetColumns, parquetExport, parquetOfRecords, recordsOfParquet } from './parquet.js';
import { historyRecordFor } from './record.js';
import { recentMedians } from './trend.js';

const results = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/results');

/** Real runs (docs/results: two H100 runs of 10 benchmarks, one judged with SOTA peers), one with a failed check, and a synthetic history of two devices. */
async function history(): Promise<RunRecord[]> {
  const saved = readdirSync(results).filter((f) => f.endsWith('.json')).map((f) => join(results, f));
  const real = (await importSavedRuns(saved, { project: 'github.com/acme/kernels' })).records;
  const invalid = historyRecordFor(runResult('2026-11-30T08:00:00.000Z', [0.0838, null]), null, { project: 'github.com/acme/kernels' });
  const synthetic = syntheticHistory({ benchmarks: 12, runs: 20, devices: ['NVIDIA-H100-80GB-HBM3/sm90', 'NVIDIA-H200/sm90'] }).records;
  return [...real, invalid, ...synthetic];
}

describe('the run history as Parquet', () => {
  it('round-trips every record exactly: runs, benchmark order, nulls, verdicts, peers, failed checks', async () => {
    const records = await history();
    expect(records.some((r) => r.benchmarks.some((b) => b.peers))).toBe(true);
    expect(records.some((r) => r.benchmarks.some((b) => b.status === 'invalid'))).toBe(true);
    const read = await recordsOfParquet(await parquetOfRecords(records), 'all.parquet');
    expect(read.skipped).toEqual([]);
    expect(read.records).toEqual(records);
  });

  it('writes one file per device and month, as the JSONL shards are laid out', async () => {
    const records = await history();
    const files = await parquetExport(records, '/out');
    expect(files.map((f) => f.path)).toContain('/out/NVIDIA-H200_sm90/2026-01.parquet');
    expect(files.reduce((sum, f) => sum + f.runs, 0)).toBe(records.length);
    expect(files.reduce((sum, f) => sum + f.rows, 0)).toBe(records.reduce((sum, r) => sum + r.benchmarks.length, 0));
  });

  it('refuses files that are not an export of a run history, and skips a run that fails the record check with the reason', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const foreign = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'x', data: [1], type: 'INT32' }] }));
    expect((await recordsOfParquet(foreign, 'other.parquet')).skipped).toEqual([{ file: 'other.parquet', row: 0, reason: 'no ratchet.format metadata: not a Ratchet history export' }]);
    expect((await recordsOfParquet(new TextEncoder().encode('not parquet at all'), 'x.parquet')).skipped[0]!.reason).toMatch(/^not a Parquet file \(/);
    const [good] = await history();
    const bad = { ...good!, time: '2026-12-01T00:00:00.000Z', benchmarks: [{ ...good!.benchmarks[0]!, medianMs: -1 }] };
    const read = await recordsOfParquet(await parquetOfRecords([good!, bad]), 'mixed.parquet');
    expect(read.records).toEqual([good]);
    expect(read.skipped).toEqual([{ file: 'mixed.parquet', row: good!.benchmarks.length, reason: 'benchmarks[0].medianMs: expected a positive number but received -1 (number)' }]);
  });

  it("DuckDB reads the exported files and reproduces the report's trend (recentMedians) per benchmark", async () => {
    const records = await history();
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-parquet-'));
    for (const file of await parquetExport(records, dir)) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.bytes);
    }
    const deviceKey = 'NVIDIA-H200/sm90';
    const ids = [...new Set(records.filter((r) => r.deviceKey === deviceKey).flatMap((r) => r.benchmarks.map((b) => b.id)))];
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    // The last 5 medians of each benchmark on one device, oldest first: what a PR report's sparkline draws.
    const reader = await connection.runAndReadAll(`
      SELECT benchmark_id, list(median_ms ORDER BY time) AS medians
      FROM (
        SELECT benchmark_id, time, median_ms, row_number() OVER (PARTITION BY benchmark_id ORDER BY time DESC) AS recent
        FROM read_parquet('${dir}/**/*.parquet')
        WHERE device_key = '${deviceKey}' AND median_ms IS NOT NULL
      )
      WHERE recent <= 5
      GROUP BY benchmark_id`);
    const trend = Object.fromEntries(reader.getRowObjectsJson().map((row) => [row.benchmark_id as string, (row.medians as number[]).map(Number)]));
    expect(trend).toEqual(recentMedians(records, deviceKey, ids, 5));
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${dir}/**/*.parquet')`);
    expect(described.getRowObjectsJson().map((row) => row.column_name)).toEqual(parquetColumns.map((c) => c.name));
  });
});
