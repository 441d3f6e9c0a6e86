import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { makeDirectories, removeDirectories } from './directories.js';
import { tempPathFor, trackTemp, untrackTemp } from './temp-files.js';

/** A file system error in a few words: "EPERM: operation not permitted", without the temporaries' names. */
export function reasonOf(error: unknown): string {
  const { message, syscall } = error as NodeJS.ErrnoException;
  return syscall ? message.split(`, ${syscall}`)[0]! : message;
}

export function unwritable(path: string, error: unknown): RatchetError {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'a parent is not a directory' : reasonOf(error);
  return new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot write (${reason})`, { file: path, cause: error });
}

/**
 * Writes `text` (UTF-8, or bytes as they are) to a new temporary beside `path` (created exclusively, flushed to disk) and
 * returns its name; missing parent directories are created and listed in `created`. The
 * temporary is tracked so an interrupted process removes it.
 */
export async function writeTemp(path: string, text: string | Uint8Array, created: string[]): Promise<string> {
  created.push(...(await makeDirectories(dirname(path))));
  const temp = tempPathFor(path, 'tmp');
  trackTemp(temp);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    untrackTemp(temp);
    throw error;
  }
  return temp;
}

/**
 * Writes `text` to `path` so that readers see either the old file or the whole new one: a temp
 * file beside it, flushed to disk, then renamed over. On any failure the temp file (and any
 * directory made for it) is removed and the old file is untouched.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const created: string[] = [];
  let temp: string | null = null;
  try {
    temp = await writeTemp(path, text, created);
    await rename(temp, path);
    untrackTemp(temp);
  } catch (error) {
    if (temp) {
      await rm(temp, { force: true }).catch(() => {});
      untrackTemp(temp);
    }
    await removeDirectories(created);
    throw unwritable(path, error);
  }
}
