import { isAscii } from 'node:buffer';
import { join } from 'node:path';
import { listDirectory, readBytes } from '@ratchet/files';
import { RatchetError, isRatchetError, runRecordSchemaVersion, validateRunRecord, type RunRecord } from '@ratchet/types';
import { shardExtension } from './layout.js';
import { assertSameProject, readManifest } from './manifest.js';

/** A line the reader could not use. It stays in the file; the caller prints it. */
export interface SkippedLine {
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
}

export interface RunHistory {
  dir: string;
  /** The project the history belongs to (its manifest's, else its records'); null when unknown. */
  project: string | null;
  /** Every usable record, oldest first. */
  records: RunRecord[];
  /** Every line skipped, in file order, with why. */
  skipped: SkippedLine[];
}

export interface ReadOptions {
  /** This checkout's project: a history of another one is refused. */
  project?: string | null;
  /** A missing directory reads as an empty history instead of an error. */
  missingOk?: boolean;
}

async function shardFiles(dir: string): Promise<string[]> {
  const shards: string[] = [];
  for (const device of (await listDirectory(dir)).filter((e) => e.isDirectory && !e.name.startsWith('.'))) {
    for (const file of await listDirectory(join(dir, device.name))) {
      if (!file.isDirectory && file.name.endsWith(shardExtension)) shards.push(join(dir, device.name, file.name));
    }
  }
  return shards;
}

/** One line -> a record, or the reason it is skipped. Throws only for another project's record. */
function parseLine(text: string, where: string): RunRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trimStart().startsWith('{') ? 'not valid JSON: a truncated or corrupt line' : 'not valid JSON';
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== runRecordSchemaVersion) {
    return `schemaVersion ${version} is not supported by this Ratchet (expected ${runRecordSchemaVersion}): written by a newer Ratchet?`;
  }
  try {
    return validateRunRecord(value, where);
  } catch (error) {
    if (!isRatchetError(error)) throw error;
    return error.message.slice(where.length + 2);
  }
}

const recordKey = (r: RunRecord) => `${r.deviceKey}\u0000${r.time}\u0000${r.commit ?? ''}`;

/** What a scan found besides the records it handed on. */
export type ScanOutcome = Omit<RunHistory, 'records'> & { count: number };

/**
 * Every record of the history in `dir`, handed to `visit` one by one in file order (devices,
 * then months, then lines) and not kept: a dashboard over half a million entries turns each
 * record into columns at once instead of holding them all. Every line that could not be used is
 * reported (file, line, reason) and skipped: corrupt or truncated JSON, an unknown schema
 * version, a field out of its range, a second copy of a record (a merge that kept both sides). A
 * history of another project (its manifest, or any one record) is refused as a whole: mixing two
 * projects' figures into one trend would mislead. Files are only read, never rewritten.
 */
export async function scanRunHistory(dir: string, visit: (record: RunRecord) => void, options: ReadOptions = {}): Promise<ScanOutcome> {
  let shards: string[];
  try {
    shards = await shardFiles(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.missingOk) return { dir, project: options.project ?? null, skipped: [], count: 0 };
    throw new RatchetError(
      code === 'ENOENT' ? 'ERR_RATCHET_FILE_NOT_FOUND' : 'ERR_RATCHET_INVALID_HISTORY',
      `${dir}: cannot read the run history (${code === 'ENOENT' ? 'no such directory' : (error as Error).message})`,
      { file: dir, cause: error },
    );
  }
  const manifest = await readManifest(dir);
  assertSameProject(manifest, options.project ?? null, dir, 'read');
  let project = manifest?.project ?? options.project ?? null;
  const skipped: SkippedLine[] = [];
  const seen = new Map<string, string>();
  let count = 0;
  for (const file of shards) {
    const bytes = Buffer.from(await readBytes(file, { code: 'ERR_RATCHET_INVALID_HISTORY' }));
    // Histories are ASCII but for the odd device name or reason: then bytes are characters, which
    // skips UTF-8 decoding (a sixth of the time to read a large history) and gives V8 the
    // one-byte strings it parses fastest.
    const lines = (isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')).split('\n');
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      const line = index + 1;
      const parsed = parseLine(text, `${file}:${line}`);
      if (typeof parsed === 'string') return void skipped.push({ file, line, reason: parsed });
      if (parsed.project !== null && project !== null && parsed.project !== project) {
        throw new RatchetError(
          'ERR_RATCHET_INVALID_HISTORY',
          `${file}:${line}: a record of project '${parsed.project}' in the run history of '${project}': refusing the whole history (two projects' files were mixed)`,
          { file },
        );
      }
      project ??= parsed.project;
      const key = recordKey(parsed);
      const first = seen.get(key);
      if (first !== undefined) return void skipped.push({ file, line, reason: `a second copy of the record at ${first}` });
      seen.set(key, `${file}:${line}`);
      count += 1;
      visit(parsed);
    });
  }
  return { dir, project, skipped, count };
}

/** Every record of the history in `dir`, oldest first, with what scanRunHistory reports. */
export async function readRunHistory(dir: string, options: ReadOptions = {}): Promise<RunHistory> {
  const records: RunRecord[] = [];
  const { project, skipped } = await scanRunHistory(dir, (record) => records.push(record), options);
  records.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return { dir, project, records, skipped };
}
