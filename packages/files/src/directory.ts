import { randomBytes } from 'node:crypto';
import { copyFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { makeDirectories } from './directories.js';

/** One file of a directory written whole: its path inside the directory, and its text or the file it is a copy of. */
export type DirectoryFile = { path: string; text: string } | { path: string; copyOf: string };

export interface DirectoryOptions {
  /** A file every directory written so holds: a non-empty directory without it is not ours to replace. */
  marker: string;
  /** What the directory is, for a failure: `<out>: cannot write <what> (...)`. */
  what: string;
  /** What to do instead of replacing a directory that is not ours, e.g. 'choose another --out'. */
  hint: string;
}

/** Whether `out` is there to be replaced (false: there is nothing yet); refuses what is not ours. */
async function assertReplaceable(out: string, options: DirectoryOptions): Promise<boolean> {
  let info;
  try {
    info = await stat(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const entries = info.isDirectory() ? await readdir(out) : null;
  if (entries && (entries.length === 0 || entries.includes(options.marker))) return true;
  throw new RatchetError(
    'ERR_RATCHET_UNWRITABLE_PATH',
    `${out}: ${entries ? `is a directory that ratchet did not write (no ${options.marker} in it)` : 'is not a directory'}: refusing to replace it; ${options.hint}`,
    { file: out },
  );
}

async function fill(dir: string, files: readonly DirectoryFile[]): Promise<void> {
  const directories = [...new Set(files.map((file) => dirname(join(dir, file.path))))];
  for (const directory of directories) await makeDirectories(directory);
  await Promise.all(files.map((file) => ('text' in file ? writeFile(join(dir, file.path), file.text) : copyFile(file.copyOf, join(dir, file.path)))));
}

/**
 * Writes `files` as the directory `out`, replacing an earlier one as a whole: it is built beside
 * `out` and renamed into place, so a failure leaves the old one as it was and a reader never
 * sees half of one. A directory without `options.marker` is refused (write the marker among `files`).
 */
export async function replaceDirectory(out: string, files: readonly DirectoryFile[], options: DirectoryOptions): Promise<void> {
  const replacing = await assertReplaceable(out, options);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const building = join(dirname(out), `.${basename(out)}.new-${suffix}`);
  const retired = join(dirname(out), `.${basename(out)}.old-${suffix}`);
  try {
    await fill(building, files);
    if (replacing) await rename(out, retired);
    try {
      await rename(building, out);
    } catch (error) {
      if (replacing) await rename(retired, out);
      throw error;
    }
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${out}: cannot write ${options.what} (${(error as Error).message})`, { file: out, cause: error });
  }
  await rm(retired, { recursive: true, force: true });
}
