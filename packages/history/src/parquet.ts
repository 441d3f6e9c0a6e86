// The run history as Parquet (docs/dashboard.md, "Beyond git"): one row per benchmark per run,
// flat columns any engine reads (DuckDB, ClickHouse, Spark, pandas), so a fleet's history can
// leave the git branch for a columnar store without a converter of its own. The reverse turns
// such files back into the records they came from, each checked as a JSONL line is.
//
// hyparquet(-writer): pure JavaScript, no native code, about 1 MB; imported only when a command
// converts (a dynamic import), so nothing else pays for it.
import { join } from 'node:path';
import { isRatchetError, runRecordSchemaVersion, validateRunRecord, type RunRecord, type RunRecordBenchmark, type TimingMethod } from '@ratchet/types';
import { deviceDirName } from './layout.js';

/** The key-value metadata every exported file carries: what the file is, so an import can tell. */
export const parquetFormat = { key: 'ratchet.format', value: 'ratchet-run-history/1' } as const;

type ParquetType = 'STRING' | 'JSON' | 'INT32' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';

/** One column of the exported files: its name, Parquet type, whether it may be null, and what it holds. */
export interface ParquetColumn {
  name: string;
  type: ParquetType;
  nullable: boolean;
  /** What the column holds (docs/dashboard.md lists the same). */
  doc: string;
}

type Row = { record: RunRecord; benchmark: RunRecordBenchmark; index: number };
type Column = ParquetColumn & { value: (row: Row) => unknown };

const column = (name: string, type: ParquetType, nullable: boolean, doc: string, value: (row: Row) => unknown): Column => ({ name, type, nullable, doc, value });

// The schema, in file order: run fields first (repeated on each of its rows), then the benchmark's.
// One line per column, alike on purpose: the table is the schema as docs/dashboard.md lists it
// (docs.test.ts holds the two to each other), read top to bottom.
const columns: Column[] = [
  column('schema_version', 'INT32', false, 'RunRecord.schemaVersion of the record (1)', (r) => r.record.schemaVersion),
  column('project', 'STRING', true, 'the project (`github.com/owner/repo`)', (r) => r.record.project),
  column('time', 'TIMESTAMP', false, 'when the run started (UTC, milliseconds)', (r) => new Date(r.record.time)),
  column('commit', 'STRING', true, 'the commit measured', (r) => r.record.commit),
  column('branch', 'STRING', true, 'its branch', (r) => r.record.branch),
  column('dirty', 'BOOLEAN', false, 'uncommitted changes were present', (r) => r.record.dirty),
  column('device_key', 'STRING', false, 'the device key (`NVIDIA-H100-80GB-HBM3/sm90`): the series key with benchmark_id', (r) => r.record.deviceKey),
  column('device_name', 'STRING', false, "the device's name", (r) => r.record.deviceName),
  column('peak_tflops', 'DOUBLE', true, "the device's dense tensor peak, TFLOP/s", (r) => r.record.peakTflops),
  column('peak_gbps', 'DOUBLE', true, "the device's memory bandwidth peak, GB/s", (r) => r.record.peakGBps),
  column('timing_clock', 'STRING', false, '`cuda-events` or `steady-clock`', (r) => r.record.timing.clock),
  column('timing_warmup', 'INT32', false, 'warm-up launches per batch', (r) => r.record.timing.warmup),
  column('timing_l2_flush', 'BOOLEAN', false, 'L2 flushed before each sample', (r) => r.record.timing.l2Flush),
  column('timing_launches_per_sample', 'INT32', false, 'launches per sample', (r) => r.record.timing.launchesPerSample),
  column('benchmark_index', 'INT32', false, 'the position of the benchmark in its run (0-based)', (r) => r.index),
  column('benchmark_id', 'STRING', false, 'the benchmark id (`flash_fwd/fp16/B32_H8_S512_D64`)', (r) => r.benchmark.id),
  column('kernel', 'STRING', false, "the problem's name", (r) => r.benchmark.kernel),
  column('dtype', 'STRING', true, 'its `dtype` parameter, where it has one', (r) => r.benchmark.dtype),
  column('status', 'STRING', false, '`ok`, or `invalid` (failed its check, not timed: the figures are null)', (r) => r.benchmark.status),
  column('variant', 'STRING', false, 'the kernel variant that ran', (r) => r.benchmark.variant),
  column('kernel_identity', 'STRING', true, 'the machine code timed (`sm_90:` and 16 hex digits of its hash)', (r) => r.benchmark.kernelIdentity),
  column('median_ms', 'DOUBLE', true, 'median time per call, ms', (r) => r.benchmark.medianMs),
  column('ci95_low_ms', 'DOUBLE', true, 'the 95% CI of the median, low end, ms', (r) => r.benchmark.ci95MedianMs?.[0] ?? null),
  column('ci95_high_ms', 'DOUBLE', true, 'the 95% CI of the median, high end, ms', (r) => r.benchmark.ci95MedianMs?.[1] ?? null),
  column('n', 'INT32', false, 'samples the median came from', (r) => r.benchmark.n),
  column('sm_clock_mhz', 'DOUBLE', true, 'median SM clock over the samples, MHz', (r) => r.benchmark.smClockMHz),
  column('tflops', 'DOUBLE', true, 'TFLOP/s at the median', (r) => r.benchmark.tflops),
  column('gbps', 'DOUBLE', true, 'GB/s at the median', (r) => r.benchmark.gbps),
  column('roof', 'STRING', true, 'the binding roof: `compute` or `memory`', (r) => r.benchmark.roof),
  column('roof_fraction', 'DOUBLE', true, 'attained / peak of the binding roof, 0..1', (r) => r.benchmark.roofFraction),
  column('verdict', 'STRING', true, 'the verdict against the baseline (null: the run was not judged)', (r) => r.benchmark.verdict ?? null),
  column('change_pct', 'DOUBLE', true, 'change of the median against the baseline, percent, positive slower', (r) => r.benchmark.changePct ?? null),
  column('peers', 'JSON', true, 'peers measured in the same session: `{name: {medianMs, ci95MedianMs}}`', (r) => (r.benchmark.peers ? JSON.stringify(r.benchmark.peers) : null)),
];

/** The schema of the exported files, in column order. */
export const parquetColumns: readonly ParquetColumn[] = columns.map(({ name, type, nullable, doc }) => ({ name, type, nullable, doc }));

async function writer(): Promise<typeof import('hyparquet-writer')> {
  return import('hyparquet-writer');
}

/** One Parquet file of `records` (their benchmarks, one row each, in record order). */
export async function parquetOfRecords(records: readonly RunRecord[]): Promise<Uint8Array> {
  const rows: Row[] = records.flatMap((record) => record.benchmarks.map((benchmark, index) => ({ record, benchmark, index })));
  const { parquetWriteBuffer } = await writer();
  const buffer = parquetWriteBuffer({
    columnData: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, data: rows.map(c.value) as never[] })),
    kvMetadata: [parquetFormat],
    createdBy: 'ratchet',
  });
  return new Uint8Array(buffer);
}

/** One file of an export: where it goes, its bytes, and the runs and rows in it. */
export interface ParquetExportFile {
  path: string;
  bytes: Uint8Array;
  runs: number;
  rows: number;
}

/**
 * The history as Parquet files laid out as its JSONL shards are, `<device>/<YYYY-MM>.parquet`
 * under `dir`: a month once past never changes, so a store loads each file once.
 */
export async function parquetExport(records: readonly RunRecord[], dir: string): Promise<ParquetExportFile[]> {
  const shards = new Map<string, RunRecord[]>();
  for (const record of records) {
    const path = join(dir, deviceDirName(record.deviceKey), `${new Date(record.time).toISOString().slice(0, 7)}.parquet`);
    shards.set(path, [...(shards.get(path) ?? []), record]);
  }
  const files: ParquetExportFile[] = [];
  for (const [path, shard] of [...shards].sort(([a], [b]) => (a < b ? -1 : 1))) {
    files.push({ path, bytes: await parquetOfRecords(shard), runs: shard.length, rows: shard.reduce((sum, r) => sum + r.benchmarks.length, 0) });
  }
  return files;
}

/** A row of a file that could not be made part of a record, and why. */
export interface SkippedRow {
  file: string;
  /** The first row of the run it belonged to, 0-based. */
  row: number;
  reason: string;
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function benchmarkOf(row: Record<string, unknown>): RunRecordBenchmark {
  const low = number(row.ci95_low_ms);
  const high = number(row.ci95_high_ms);
  const peers = row.peers === null || row.peers === undefined ? undefined : typeof row.peers === 'string' ? JSON.parse(row.peers) as unknown : row.peers;
  return {
    id: text(row.benchmark_id)!, kernel: text(row.kernel)!, dtype: text(row.dtype), status: text(row.status) as RunRecordBenchmark['status'],
    variant: text(row.variant)!, kernelIdentity: text(row.kernel_identity), medianMs: number(row.median_ms),
    ci95MedianMs: low === null || high === null ? null : [low, high], n: number(row.n)!, smClockMHz: number(row.sm_clock_mhz),
    tflops: number(row.tflops), gbps: number(row.gbps), roof: text(row.roof) as RunRecordBenchmark['roof'], roofFraction: number(row.roof_fraction),
    // A verdict and its change travel together (historyRecordFor writes both or neither).
    ...(row.verdict === null || row.verdict === undefined ? {} : { verdict: text(row.verdict) as RunRecordBenchmark['verdict'], changePct: number(row.change_pct) }),
    ...(peers === undefined ? {} : { peers: peers as RunRecordBenchmark['peers'] }),
  };
}

function recordOf(row: Record<string, unknown>): RunRecord {
  const time = row.time instanceof Date ? row.time.toISOString() : text(row.time)!;
  const timing: TimingMethod = {
    clock: text(row.timing_clock) as TimingMethod['clock'], warmup: number(row.timing_warmup)!, l2Flush: row.timing_l2_flush === true, launchesPerSample: number(row.timing_launches_per_sample)!,
  };
  return {
    schemaVersion: number(row.schema_version) as typeof runRecordSchemaVersion, project: text(row.project), time, commit: text(row.commit), branch: text(row.branch),
    dirty: row.dirty === true, deviceKey: text(row.device_key)!, deviceName: text(row.device_name)!, peakTflops: number(row.peak_tflops), peakGBps: number(row.peak_gbps),
    timing, benchmarks: [],
  };
}

/**
 * The records of one exported file: rows grouped into runs (device, start time, commit), each
 * benchmark at its index, each record checked as a JSONL line is (validateRunRecord). A run that
 * fails the check is skipped with the reason; a file that is not an export (no `ratchet.format`
 * metadata, or another version) is refused whole.
 */
export async function recordsOfParquet(bytes: Uint8Array, file: string): Promise<{ records: RunRecord[]; skipped: SkippedRow[] }> {
  const { parquetMetadata, parquetReadObjects } = await import('hyparquet');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let format: string | undefined;
  try {
    format = parquetMetadata(buffer).key_value_metadata?.find((kv) => kv.key === parquetFormat.key)?.value;
  } catch (error) {
    return { records: [], skipped: [{ file, row: 0, reason: `not a Parquet file (${(error as Error).message})` }] };
  }
  if (format !== parquetFormat.value) {
    const found = format === undefined ? `no ${parquetFormat.key} metadata: not a Ratchet history export` : `${parquetFormat.key} is ${format}, not ${parquetFormat.value}: written by a newer Ratchet?`;
    return { records: [], skipped: [{ file, row: 0, reason: found }] };
  }
  const rows = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
  const runs = new Map<string, { first: number; record: RunRecord; benchmarks: [number, RunRecordBenchmark][] }>();
  const skipped: SkippedRow[] = [];
  rows.forEach((row, index) => {
    const record = recordOf(row);
    const key = `${record.deviceKey}\u0000${record.time}\u0000${record.commit ?? ''}`;
    const run = runs.get(key) ?? { first: index, record, benchmarks: [] };
    runs.set(key, run);
    try {
      run.benchmarks.push([number(row.benchmark_index) ?? index, benchmarkOf(row)]);
    } catch (error) {
      skipped.push({ file, row: index, reason: `peers: not JSON (${(error as Error).message})` });
    }
  });
  const records: RunRecord[] = [];
  for (const run of runs.values()) {
    const record = { ...run.record, benchmarks: run.benchmarks.sort((a, b) => a[0] - b[0]).map(([, benchmark]) => benchmark) };
    try {
      records.push(validateRunRecord(record, `${file}: row ${run.first}`));
    } catch (error) {
      if (!isRatchetError(error)) throw error;
      skipped.push({ file, row: run.first, reason: error.message.slice(`${file}: row ${run.first}: `.length) });
    }
  }
  return { records, skipped };
}
