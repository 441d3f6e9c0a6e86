import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RatchetError, validateRunRecord, type RunRecord } from '@ratchet/types';
import { shardPath } from './layout.js';
import { assertSameProject, ensureManifest, readManifest } from './manifest.js';

/** True when the file exists and its last byte is not a newline: a line cut short by a crash. */
async function endsMidLine(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

/** Checks before a run measures anything that its record could be appended to `dir`. */
export async function assertAppendable(dir: string, project: string | null): Promise<void> {
  assertSameProject(await readManifest(dir), project, dir, 'append to');
}

/**
 * Appends one record to its device's shard of `dir` and returns the shard's path. A history of
 * another project is refused. Nothing already there is rewritten: when the shard ends mid-line (a
 * crash during an earlier append), a newline is added first so that line stays the only bad one.
 */
export async function appendRunRecord(dir: string, record: RunRecord): Promise<string> {
  validateRunRecord(record, '(record to append)');
  const manifest = await ensureManifest(dir, record.project);
  assertSameProject(manifest, record.project, dir, 'append to');
  const shard = shardPath(dir, record.deviceKey, record.time);
  try {
    await mkdir(dirname(shard), { recursive: true });
    const separator = (await endsMidLine(shard)) ? '\n' : '';
    // One write of the whole line with O_APPEND: two appending processes never interleave bytes.
    await appendFile(shard, `${separator}${JSON.stringify(record)}\n`, 'utf8');
  } catch (error) {
    throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${shard}: cannot append (${(error as Error).message})`, { file: shard, cause: error });
  }
  return shard;
}
