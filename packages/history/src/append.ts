import { appendLine } from '@ratchet/files';
import { validateRunRecord, type RunRecord } from '@ratchet/types';
import { shardPath } from './layout.js';
import { assertSameProject, ensureManifest, readManifest } from './manifest.js';

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
  await appendLine(shard, JSON.stringify(record));
  return shard;
}
