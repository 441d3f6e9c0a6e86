import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RatchetError } from '@ratchet/types';

function unwritable(path: string, error: unknown): RatchetError {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'a parent is not a directory' : (error as Error).message;
  return new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot write (${reason})`, { file: path, cause: error });
}

/**
 * Writes `text` to `path` so that readers see either the old file or the whole new one: a temp
 * file beside it, flushed to disk, then renamed over. On any failure the temp file is removed and
 * the old file is untouched. Creates missing parent directories.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(directory, { recursive: true });
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw unwritable(path, error);
  }
}
