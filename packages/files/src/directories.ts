import { rmdirSync } from 'node:fs';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * `mkdir -p` one level at a time, from the nearest existing ancestor down. Node's recursive
 * mkdir never returns under /proc (mkdir there fails with ENOENT although the parent exists, and
 * it retries the parent forever); here the first refusal is the error. Returns the directories
 * created, outermost first, so a caller that fails later can remove them again.
 */
export async function makeDirectories(directory: string): Promise<string[]> {
  const missing: string[] = [];
  let current = directory;
  for (;;) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw errnoError('ENOTDIR', `${current} is not a directory`);
      break;
    }
    const parent = dirname(current);
    if (parent === current) break;
    missing.unshift(current);
    current = parent;
  }
  const created: string[] = [];
  for (const path of missing) {
    try {
      await mkdir(path);
      created.push(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // EEXIST: another process made it between our stat and mkdir; anything else is a refusal.
      if (code === 'EEXIST' && (await stat(path).catch(() => null))?.isDirectory()) continue;
      await removeDirectories(created);
      throw errnoError(code ?? 'EIO', `cannot create directory ${path} (${code ?? (error as Error).message})`);
    }
  }
  return created;
}

/** Removes directories `makeDirectories` created, innermost first, each only if still empty. */
export async function removeDirectories(created: readonly string[]): Promise<void> {
  for (const path of [...created].reverse()) await rmdir(path).catch(() => {});
}

/** removeDirectories, synchronously: for a rollback or a lock release that no signal handler may interleave. */
export function removeDirectoriesSync(created: readonly string[]): void {
  for (const path of [...created].reverse()) {
    try {
      rmdirSync(path);
    } catch {
      // Not empty: something else lives there now.
    }
  }
}
