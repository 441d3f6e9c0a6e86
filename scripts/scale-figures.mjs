#!/usr/bin/env node
// The measured inputs of docs/scale.md: bytes per record of the baseline and the run history, as
// files, in git, as Parquet and in a columnar engine, and the GPU time a main run spends per
// benchmark, from this repository's own files. No GPU needed; about a minute.
//   node scripts/build-quietly.mjs && node scripts/scale-figures.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { importSavedRuns, parquetOfRecords } from '@ratchet/history';
import { syntheticHistory } from './synthetic-history.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// DuckDB is a devDependency of @ratchet/history (its Parquet test): resolved from there.
const { DuckDBInstance } = createRequire(join(root, 'packages/history/package.json'))('@duckdb/node-api');
const scratch = mkdtempSync(join(tmpdir(), 'ratchet-scale-'));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const out = (line) => console.log(line);

function git(dir, ...args) {
  return execFileSync('git', ['-c', 'user.name=scale', '-c', 'user.email=scale@example.test', ...args], { cwd: dir, encoding: 'utf8' });
}

/** Bytes git keeps for `dir` once packed (what a clone downloads). */
function packedBytes(dir) {
  git(dir, 'gc', '-q', '--aggressive', '--prune=now');
  const packs = join(dir, '.git/objects/pack');
  return readdirSync(packs).filter((f) => f.endsWith('.pack')).reduce((sum, f) => sum + statSync(join(packs, f)).size, 0);
}

// 1. The committed baseline: bytes per entry (per device, per benchmark), as JSON and compressed.
const baselineText = readFileSync(join(root, '.ratchet/baseline.json'), 'utf8');
const baseline = JSON.parse(baselineText);
const entries = Object.entries(baseline.devices).flatMap(([deviceKey, device]) => Object.entries(device.benchmarks).map(([id, entry]) => ({ deviceKey, id, entry })));
out(`baseline: ${entries.length} entries, ${baselineText.length} bytes: ${kb(baselineText.length / entries.length)} an entry (${kb(gzipSync(baselineText).length / entries.length)} compressed)`);

// 2. A main run's GPU time per benchmark, from the H200 entries: each sample is the kernel's median
//    plus 42 us outside the timed region (docs/benchmarks.md, the per-sample overhead).
const h200 = entries.filter((e) => e.deviceKey.startsWith('NVIDIA-H200'));
const mainMs = h200.reduce((sum, { entry }) => sum + entry.summary.n * (entry.summary.median + 0.042), 0) / h200.length;
out(`main run (H200 entries): ${h200.length} benchmarks, ${(mainMs / 1e3).toFixed(2)} s of sampling a benchmark on average`);

// 3. In git, over merges: every run on main appends the median of each benchmark judged unchanged
//    to its entry (runMedians, last 10 kept), so the file changes at every merge.
{
  const dir = join(scratch, 'baseline-git');
  mkdirSync(dir);
  git(dir, 'init', '-q');
  const file = join(dir, 'baseline.json');
  const merges = 30;
  let sizeAfterFirst = 0;
  for (let merge = 0; merge < merges; merge += 1) {
    for (const { entry } of entries) entry.runMedians = [...(entry.runMedians ?? []), { sha: merge.toString(16).padStart(40, '0'), medianMs: entry.summary.median * (1 + ((merge * 7) % 11 - 5) / 1e4) }].slice(-10);
    writeFileSync(file, `${JSON.stringify(baseline, null, 1)}\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', `merge ${merge}`);
    if (merge === 0) sizeAfterFirst = packedBytes(dir);
  }
  const growth = (packedBytes(dir) - sizeAfterFirst) / (merges - 1);
  out(`baseline in git: ${kb(sizeAfterFirst / entries.length)} an entry packed; each merge adds ${(growth / entries.length).toFixed(0)} bytes an entry (${merges} merges, runMedians moving)`);
}

// 4. The run history: bytes per benchmark per run, from the saved H100 and H200 runs, and a month in git.
const saved = readdirSync(join(root, 'docs/results')).filter((f) => f.endsWith('.json')).map((f) => join(root, 'docs/results', f));
const real = (await importSavedRuns(saved, { project: 'github.com/acme/kernels' })).records;
const realRows = real.reduce((sum, r) => sum + r.benchmarks.length, 0);
const realBytes = real.reduce((sum, r) => sum + JSON.stringify(r).length + 1, 0);
out(`run history (docs/results): ${real.length} runs, ${realRows} rows, ${(realBytes / realRows).toFixed(0)} bytes a row as JSONL (${(realBytes / real.length / 1024).toFixed(1)} KiB a run)`);

const benchmarks = 1000;
const runs = 60;
const { records } = syntheticHistory({ benchmarks, runs, devices: ['NVIDIA-H100-80GB-HBM3/sm90'] });
const rows = benchmarks * runs;
const jsonl = records.map((r) => `${JSON.stringify(r)}\n`);
const jsonlBytes = jsonl.reduce((sum, line) => sum + line.length, 0);
out(`run history (synthetic, ${benchmarks} benchmarks x ${runs} runs): ${(jsonlBytes / rows).toFixed(0)} bytes a row as JSONL`);
{
  const dir = join(scratch, 'history-git');
  mkdirSync(dir);
  git(dir, 'init', '-q');
  const shard = join(dir, '2026-01.jsonl');
  writeFileSync(shard, '');
  for (const line of jsonl) {
    appendFileSync(shard, line);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'run');
  }
  out(`run history in git (${runs} commits, one run appended each): ${(packedBytes(dir) / rows).toFixed(0)} bytes a row packed`);
}

// 5. Parquet (this exporter: snappy) and a columnar engine (DuckDB's own storage, and Parquet with zstd).
const parquet = await parquetOfRecords(records);
const parquetFile = join(scratch, 'history.parquet');
writeFileSync(parquetFile, parquet);
out(`parquet (history export, snappy): ${(parquet.byteLength / rows).toFixed(1)} bytes a row`);
const database = join(scratch, 'history.duckdb');
const connection = await (await DuckDBInstance.create(database)).connect();
await connection.run(`CREATE TABLE runs AS SELECT * FROM read_parquet('${parquetFile}')`);
await connection.run(`COPY runs TO '${join(scratch, 'zstd.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
await connection.run('CHECKPOINT');
connection.closeSync();
out(`parquet (zstd, DuckDB COPY): ${(statSync(join(scratch, 'zstd.parquet')).size / rows).toFixed(1)} bytes a row`);
out(`columnar engine (DuckDB table, checkpointed): ${(statSync(database).size / rows).toFixed(1)} bytes a row`);

// 6. The baseline's entries as rows (samples as a list column), as Parquet and in the engine: the
//    real entries 80 times over, each copy's float32 samples scaled a little (no two copies alike),
//    so a file's fixed overhead does not count as the entries'.
const copies = 80;
{
  const file = join(scratch, 'baseline.jsonl');
  const scaled = (values, k) => values?.map((v) => Math.fround(v * (1 + k * 1e-4)));
  const lines = [];
  for (let k = 0; k < copies; k += 1) {
    for (const { deviceKey, id, entry } of entries) {
      lines.push(`${JSON.stringify({ device_key: deviceKey, benchmark_id: `${id}/copy${k}`, ...entry, samplesMs: scaled(entry.samplesMs, k), samplesKcycles: scaled(entry.samplesKcycles, k) ?? [] })}\n`);
    }
  }
  writeFileSync(file, lines.join(''));
  const store = join(scratch, 'baseline.duckdb');
  const db = await (await DuckDBInstance.create(store)).connect();
  await db.run(`CREATE TABLE baseline AS SELECT * FROM read_json('${file}')`);
  await db.run(`COPY baseline TO '${join(scratch, 'baseline.parquet')}' (FORMAT parquet, COMPRESSION snappy)`);
  await db.run(`COPY baseline TO '${join(scratch, 'baseline-zstd.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
  await db.run('CHECKPOINT');
  db.closeSync();
  const per = (path) => kb(statSync(path).size / (entries.length * copies));
  out(`baseline as rows (${entries.length * copies}): parquet ${per(join(scratch, 'baseline.parquet'))} an entry (snappy), ${per(join(scratch, 'baseline-zstd.parquet'))} (zstd); DuckDB table ${per(store)}`);
}
rmSync(scratch, { recursive: true, force: true });
