import { constants } from 'node:fs';
import { access, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, parse } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { reasonOf } from './atomic-write.js';
import { tempPathFor, trackTemp, untrackTemp } from './temp-files.js';

/** The nearest ancestor of `path` that exists: where a later mkdir -p would start. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  let current = path;
  for (;;) {
    try {
      const info = await stat(current);
      return { path: current, isDirectory: info.isDirectory() };
    } catch {
      const parent = dirname(current);
      if (parent === current || current === parse(current).root) return { path: current, isDirectory: false };
      current = parent;
    }
  }
}

/**
 * Creates and removes a temporary in `directory`, as the atomic write will: the only test that
 * holds for root (which access(2) lets through everywhere), read-only mounts, immutable
 * directories and procfs (where creating anything fails though the directory exists).
 */
async function probeDirectory(directory: string, forPath: string): Promise<void> {
  const probe = tempPathFor(join(directory, basename(forPath)), 'tmp');
  trackTemp(probe);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } finally {
    await rm(probe, { force: true }).catch(() => {});
    untrackTemp(probe);
  }
}

function cannotWrite(path: string, why: string, cause?: unknown): RatchetError {
  return new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot write here (${why})`, { file: path, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Fails before any measuring when an output could not be written, so a run never spends minutes
 * of GPU time and then loses its results (or half-writes them). Each output's directory (or,
 * when it does not exist yet, the nearest ancestor that does) must take a new file, and an
 * existing output must be writable itself; nothing is left behind by the check.
 */
export async function assertWritable(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const existing = await nearestExisting(path);
    if (existing.path === path && existing.isDirectory) throw cannotWrite(path, 'it is a directory');
    const directory = existing.path === path ? dirname(path) : existing.path;
    if (existing.path !== path && !existing.isDirectory) throw cannotWrite(path, `${existing.path} is not a directory`);
    // The file itself: a read-only or immutable (chattr +i) one is refused now, not after measuring.
    if (existing.path === path) await access(path, constants.W_OK).catch((error) => {
      throw cannotWrite(path, `${reasonOf(error)}: the file is read-only or immutable`, error);
    });
    try {
      await probeDirectory(directory, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'this file system takes no new files' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : reasonOf(error);
      throw cannotWrite(path, `cannot create a file in ${directory}: ${why}`, error);
    }
  }
}
