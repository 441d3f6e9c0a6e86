import { acquireLock, assertWritable, removeStaleTemps, writeOutputs, type HeldLock, type OutputFile } from '@ratchet/files';
import type { RatchetPaths } from '@ratchet/types';
import type { CommandContext } from './context.js';
import { onInterrupt, throwIfInterrupted } from './signals.js';

/**
 * The lock around read-judge-write of the baseline, its moves log and the tuning file: one file beside
 * the baseline, as git's index.lock sits beside the index.
 */
export function lockPath(paths: RatchetPaths): string {
  return `${paths.baseline}.lock`;
}

export interface Writes {
  /** Lands `files` together, or none of them (also none when an interrupt came first). */
  write(files: readonly OutputFile[]): Promise<void>;
}

/**
 * Runs `body` the way every writing command must: the temporaries a killed run left beside these
 * outputs removed (their writer's pid is dead), every output checked writable before any work,
 * and, with `lockFor` (the command, named in the lock for whoever finds it held), the lock held
 * from before the baseline is read until after the last write.
 */
export async function withWrites<T>(
  context: CommandContext,
  outputs: readonly string[],
  lockFor: string | null,
  body: (writes: Writes) => Promise<T>,
): Promise<T> {
  const lock = lockFor === null ? null : lockPath(context.loaded.config.paths);
  const all = lock === null ? outputs : [...outputs, lock];
  await assertWritable(all);
  await removeStaleTemps(all);
  let held: HeldLock | null = null;
  let forget = () => {};
  if (lock !== null) {
    held = await acquireLock(lock, lockFor!);
    forget = onInterrupt(held.release);
  }
  try {
    return await body({ write: (files) => writeOutputs(files, throwIfInterrupted) });
  } finally {
    forget();
    held?.release();
  }
}
