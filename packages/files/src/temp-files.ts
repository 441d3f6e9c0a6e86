import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Temporaries Ratchet keeps beside a file while it replaces it: `.<name>.<pid>.<hex>.tmp` (the
 * new content, renamed over the file) and `.<name>.<pid>.<hex>.bak` (the old file, kept until
 * the whole write set has landed). The pid in the name lets a later run tell a dead writer's
 * leftovers (a SIGKILL) from a live writer's work.
 */
export type TempKind = 'tmp' | 'bak';

export function tempPathFor(path: string, kind: TempKind): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pid in the name of one of `path`'s temporaries; null for any other file. */
export function tempOwner(path: string, name: string): number | null {
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.(\\d+)\\.[0-9a-f]{8}\\.(tmp|bak)$`);
  const match = pattern.exec(name);
  return match ? Number(match[1]) : null;
}

/** True while `pid` names a running process (ours or anyone's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporaries this process has created and not yet renamed or removed. */
const pending = new Set<string>();

export function trackTemp(path: string): void {
  pending.add(path);
}

export function untrackTemp(path: string): void {
  pending.delete(path);
}

/**
 * Removes every temporary this process still holds, synchronously: what a signal handler calls
 * before the process exits. Returns the paths removed.
 */
export function removeTrackedTemps(): string[] {
  const removed = [...pending];
  for (const path of removed) rmSync(path, { force: true });
  pending.clear();
  return removed;
}

/**
 * Removes the temporaries of `paths` (their own naming only, in their own directories) whose
 * writer is no longer running: what a SIGKILL during a write leaves. A live writer's files are
 * left alone. Returns the paths removed.
 */
export async function removeStaleTemps(paths: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  const byDirectory = new Map<string, string[]>();
  for (const path of paths) byDirectory.set(dirname(path), [...(byDirectory.get(dirname(path)) ?? []), path]);
  for (const [directory, files] of byDirectory) {
    const names = await readdir(directory).catch(() => [] as string[]);
    for (const name of names) {
      const owner = files.map((file) => tempOwner(file, name)).find((pid) => pid !== null) ?? null;
      if (owner === null || owner === process.pid || processAlive(owner)) continue;
      const stale = join(directory, name);
      await rm(stale, { force: true });
      removed.push(stale);
    }
  }
  return removed;
}
