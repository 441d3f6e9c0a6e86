import { copyFileSync, existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { RatchetError } from '@ratchet/types';
import { reasonOf, unwritable, writeTemp } from './atomic-write.js';
import { removeDirectories, removeDirectoriesSync } from './directories.js';
import { tempPathFor, trackTemp, untrackTemp } from './temp-files.js';

/** One file of a write set and its whole new content: text (UTF-8), or bytes (a Parquet file). */
export interface OutputFile {
  path: string;
  text: string | Uint8Array;
}

/** Every file of a write set written to temporaries beside its target, none of them in place yet. */
export interface StagedOutputs {
  readonly paths: readonly string[];
  /**
   * Renames each temporary over its target, in order; when one fails, the ones already in place
   * are put back as they were and the error says so. Synchronous: no signal handler can run
   * between two renames.
   */
  commit(): void;
  /** Removes the temporaries (and the directories made for them): nothing was written. */
  discard(): Promise<void>;
}

interface Staged {
  path: string;
  temp: string;
  backup: string | null;
  placed: boolean;
}

function forget(path: string | null): void {
  if (path === null) return;
  rmSync(path, { force: true });
  untrackTemp(path);
}

/** The old file kept beside itself (a hard link; a copy where links are refused) until the set landed. */
function keepOld(path: string): string | null {
  if (!existsSync(path)) return null;
  const backup = tempPathFor(path, 'bak');
  trackTemp(backup);
  try {
    linkSync(path, backup);
  } catch {
    copyFileSync(path, backup);
  }
  return backup;
}

/** Puts back what the failed commit had already placed; returns the files it could not restore. */
function rollBack(files: readonly Staged[]): string[] {
  const failed: string[] = [];
  for (const file of [...files].reverse()) {
    if (!file.placed) continue;
    try {
      if (file.backup) renameSync(file.backup, file.path);
      else rmSync(file.path, { force: true });
      if (file.backup) untrackTemp(file.backup);
      file.backup = null;
    } catch {
      failed.push(file.path);
    }
  }
  return failed;
}

/**
 * Writes every file's content to a temporary beside it (directories created as needed). Any
 * failure removes what was staged and throws naming the file: nothing is in place yet.
 */
export async function stageOutputs(files: readonly OutputFile[]): Promise<StagedOutputs> {
  const staged: Staged[] = [];
  const created: string[] = [];
  const discard = async () => {
    for (const file of staged) {
      forget(file.temp);
      forget(file.backup);
    }
    await removeDirectories(created);
  };
  for (const file of files) {
    try {
      staged.push({ path: file.path, temp: await writeTemp(file.path, file.text, created), backup: null, placed: false });
    } catch (error) {
      await discard();
      throw unwritable(file.path, error);
    }
  }
  const commit = () => {
    for (const file of staged) {
      try {
        file.backup = keepOld(file.path);
        renameSync(file.temp, file.path);
        untrackTemp(file.temp);
        file.placed = true;
      } catch (error) {
        const unrestored = rollBack(staged);
        for (const other of staged) {
          if (!other.placed) forget(other.temp);
          if (!unrestored.includes(other.path)) forget(other.backup);
          else if (other.backup) untrackTemp(other.backup);
        }
        removeDirectoriesSync(created);
        const outcome = unrestored.length === 0
          ? 'nothing was changed'
          : `and ${unrestored.join(', ')} could not be put back (the old content is beside it in a .bak file)`;
        throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${file.path}: cannot write (${reasonOf(error)}); ${outcome}`, { file: file.path, cause: error });
      }
    }
    for (const file of staged) forget(file.backup);
  };
  return { paths: staged.map((file) => file.path), commit, discard };
}

/**
 * A write set that lands whole or not at all: staged, then `beforeCommit` (the CLI's last look
 * for an interrupt), then committed. Order matters only for a SIGKILL between two renames:
 * put the files that others' claims rest on (the baseline) first.
 */
export async function writeOutputs(files: readonly OutputFile[], beforeCommit: () => void = () => {}): Promise<void> {
  const staged = await stageOutputs(files);
  try {
    beforeCommit();
  } catch (error) {
    await staged.discard();
    throw error;
  }
  staged.commit();
}
