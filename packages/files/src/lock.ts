import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { RatchetError } from '@ratchet/types';
import { unwritable, writeTemp } from './atomic-write.js';
import { removeDirectories, removeDirectoriesSync } from './directories.js';
import { processAlive, tempPathFor, untrackTemp } from './temp-files.js';

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is doing, e.g. `ratchet run`. */
  command: string;
  /** ISO 8601. */
  since: string;
}

/** A lock this process holds. `release` is synchronous so a signal handler can call it. */
export interface HeldLock {
  path: string;
  release(): void;
}

function readHolder(path: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? (holder as LockHolder) : null;
  } catch {
    return null;
  }
}

/**
 * A holder that is gone for certain: same host, pid not running. A lock from another host (a
 * shared file system) cannot be checked, so it is never taken over.
 */
function stale(holder: LockHolder | null): holder is LockHolder {
  return holder !== null && holder.host === hostname() && !processAlive(holder.pid);
}

/**
 * Moves a dead holder's lock aside (rename is atomic: of two processes recovering at once, one
 * wins) and confirms what was moved is that holder's, putting it back otherwise.
 */
function takeOver(path: string, holder: LockHolder): void {
  const aside = tempPathFor(path, 'bak');
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = readHolder(aside);
  if (moved?.pid === holder.pid && moved.since === holder.since) rmSync(aside, { force: true });
  else renameSync(aside, path);
}

function heldBy(path: string, holder: LockHolder | null): RatchetError {
  const who = holder
    ? `pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`} (${holder.command}, since ${holder.since})`
    : 'a process that left no readable record';
  return new RatchetError(
    'ERR_RATCHET_LOCKED',
    `${path}: held by ${who}: another ratchet is reading and writing the baseline, history and tuning files; wait for it to finish (delete the lock only if that process is not ratchet)`,
    { file: path },
  );
}

function discard(temp: string): void {
  rmSync(temp, { force: true });
  untrackTemp(temp);
}

/** Exclusive creation: a hard link of the whole record where links work, else open(O_EXCL). */
function createExclusive(temp: string, path: string, record: string): void {
  try {
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP')) throw error;
    writeFileSync(path, record, { flag: 'wx' });
  }
}

/** Puts the complete record into place; a dead holder's lock is taken over once. */
function linkInto(temp: string, path: string, record: string): void {
  for (let attempt = 0; ; attempt += 1) {
    try {
      createExclusive(temp, path, record);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(path, error);
      const current = readHolder(path);
      if (attempt > 0 || !stale(current)) throw heldBy(path, current);
      takeOver(path, current);
    }
  }
}

/**
 * Takes the lock at `path` as git takes index.lock: the file is created exclusively, whole (a
 * complete temporary hard-linked into place, so no reader ever sees it half-written), and holds
 * the holder's pid. A lock whose holder died (SIGKILL, power cut) is recovered; a live holder's
 * is an error naming its pid. Missing directories are created and removed again on release
 * when they are still empty.
 */
export async function acquireLock(path: string, command: string): Promise<HeldLock> {
  const holder: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  const created: string[] = [];
  const record = `${JSON.stringify(holder)}\n`;
  let temp: string;
  try {
    temp = await writeTemp(path, record, created);
  } catch (error) {
    await removeDirectories(created);
    throw unwritable(path, error);
  }
  try {
    linkInto(temp, path, record);
  } catch (error) {
    discard(temp);
    await removeDirectories(created);
    throw error;
  }
  discard(temp);
  let released = false;
  return {
    path,
    release: () => {
      if (released) return;
      released = true;
      if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
      // Directories made for the lock alone (a first run that stopped early) go with it; not one the run wrote into.
      removeDirectoriesSync(created);
    },
  };
}
