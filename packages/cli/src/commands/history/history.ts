import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { appendRunRecord, assertAppendable, importSavedRuns, notYetRecorded, parquetExport, projectOf, readRunHistory, recordsOfParquet } from '@ratchet/history';
import { RatchetError, type RunRecord } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { historyDir, warnSkipped } from '../../run-history.js';
import { withWrites } from '../../writes.js';

const importFormats = ['results', 'parquet'] as const;
type ImportFormat = (typeof importFormats)[number];

function checkFormat<T extends string>(format: string, allowed: readonly T[], command: string): T {
  if ((allowed as readonly string[]).includes(format)) return format as T;
  throw new RatchetError('ERR_RATCHET_USAGE', `history ${command} --format: expected ${allowed.join(' or ')} but received '${format}'`);
}

/**
 * `ratchet history import <files...>`: a record per saved RunResult (docs/results/*.json) not yet
 * in the history, with the verdicts and peers saved beside it; every other file named with the
 * reason it gave none. Importing twice adds nothing.
 */
export async function historyImportCommand(files: string[], options: { history?: string; format?: string }, context: CommandContext): Promise<number> {
  const format = checkFormat<ImportFormat>(options.format ?? 'results', importFormats, 'import');
  if (files.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', 'history import: expected at least one results file (e.g. docs/results/*.json)');
  const dir = historyDir(options, context);
  const project = projectOf(context.cwd);
  const existing = await readRunHistory(dir, { project, missingOk: true });
  warnSkipped(existing.skipped, context);
  await assertAppendable(dir, project);
  const paths = files.map((f) => resolve(context.cwd, f));
  const outcome = format === 'parquet' ? await importParquet(paths) : await importSavedRuns(paths, { project });
  const fresh = notYetRecorded(existing.records, outcome.records);
  for (const record of fresh) await appendRunRecord(dir, record);
  const { output } = context;
  if (output.json) {
    output.out(JSON.stringify({ history: dir, imported: fresh.length, alreadyThere: outcome.records.length - fresh.length, skipped: outcome.skipped }));
    return exitCodes.ok;
  }
  if (!output.quiet) for (const skip of outcome.skipped) output.err(`skipped ${displayPath(skip.file, context.cwd)}: ${skip.reason}`);
  if (!output.quiet) output.out(`history: imported ${fresh.length} run(s) into ${displayPath(dir, context.cwd)} (${outcome.records.length - fresh.length} already there, ${outcome.skipped.length} file(s) skipped)`);
  return exitCodes.ok;
}

/** Every .parquet file named, or under a directory named (an export's layout), sorted. */
async function parquetFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      throw new RatchetError('ERR_RATCHET_FILE_NOT_FOUND', `${path}: no such file or directory`, { file: path });
    }
    if (!isDirectory) found.push(path);
    else for (const entry of await readdir(path, { recursive: true })) if (entry.endsWith('.parquet')) found.push(join(path, entry));
  }
  return [...new Set(found)].sort();
}

/** The records of Parquet files written by `history export`; what could not be read is named with the reason, by row. */
async function importParquet(paths: readonly string[]): Promise<{ records: RunRecord[]; skipped: { file: string; reason: string }[] }> {
  const records: RunRecord[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const file of await parquetFiles(paths)) {
    const read = await recordsOfParquet(await readFile(file), file);
    records.push(...read.records);
    skipped.push(...read.skipped.map((row) => ({ file, reason: row.row === 0 && read.records.length === 0 ? row.reason : `row ${row.row}: ${row.reason}` })));
  }
  records.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return { records, skipped };
}

/**
 * `ratchet history export --format parquet`: the run history as Parquet files, one row per
 * benchmark per run (docs/dashboard.md has the schema), laid out as the history is
 * (`<device>/<YYYY-MM>.parquet`), for DuckDB, ClickHouse or any engine that reads Parquet. The
 * files land together or not at all; files of the same name are replaced.
 */
export async function historyExportCommand(options: { history?: string; out?: string; format?: string }, context: CommandContext): Promise<number> {
  checkFormat(options.format ?? 'parquet', ['parquet'] as const, 'export');
  const dir = historyDir(options, context);
  const out = options.out ? resolve(context.cwd, options.out) : join(dirname(context.loaded.config.paths.results), 'history-parquet');
  const history = await readRunHistory(dir, { project: projectOf(context.cwd) });
  warnSkipped(history.skipped, context);
  const files = await parquetExport(history.records, out);
  const { output } = context;
  const summary = { history: dir, out, files: files.map((f) => ({ path: f.path, runs: f.runs, rows: f.rows, bytes: f.bytes.byteLength })) };
  if (files.length > 0) await withWrites(context, files.map((f) => f.path), null, (writes) => writes.write(files.map((f) => ({ path: f.path, text: f.bytes }))));
  if (output.json) output.out(JSON.stringify(summary));
  else if (!output.quiet) {
    const rows = files.reduce((sum, f) => sum + f.rows, 0);
    const bytes = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    output.out(files.length === 0
      ? `history: ${displayPath(dir, context.cwd)} holds no run: nothing exported`
      : `history: exported ${history.records.length} run(s), ${rows} row(s), to ${files.length} Parquet file(s) in ${displayPath(out, context.cwd)} (${bytes} bytes)`);
  }
  return exitCodes.ok;
}
