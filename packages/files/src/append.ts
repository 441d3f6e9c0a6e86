import { appendFile, open, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { unwritable } from './atomic-write.js';
import { makeDirectories } from './directories.js';

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

/**
 * Appends one line (no newline in it) to a line-per-record file, creating it and its directories
 * as needed. Nothing already there is rewritten: when the file ends mid-line (a crash during an
 * earlier append), a newline goes first so that line stays the only bad one. One write with
 * O_APPEND: two appending processes never interleave bytes.
 */
export async function appendLine(path: string, line: string): Promise<void> {
  try {
    await makeDirectories(dirname(path));
    const separator = (await endsMidLine(path)) ? '\n' : '';
    await appendFile(path, `${separator}${line}\n`, 'utf8');
  } catch (error) {
    throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot append (${(error as Error).message})`, { file: path, cause: error });
  }
}

/**
 * Creates `path` with `text` unless it exists (O_EXCL: of two processes creating it at once, one
 * writes and the other finds it), making its directories. True when this call created it.
 */
export async function createOnce(path: string, text: string): Promise<boolean> {
  try {
    await makeDirectories(dirname(path));
    await writeFile(path, text, { encoding: 'utf8', flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw unwritable(path, error);
  }
}
