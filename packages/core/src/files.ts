import { constants } from 'node:fs';
import { access, open, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, parse } from 'node:path';
import { baselineJson, digestBaseline, historyWithEvents, reasonOf, tempPathFor, trackTemp, untrackTemp } from '@ratchet/baseline';
import {
  RatchetError,
  parseJsonText,
  validateComparison,
  validateRunResult,
  type Comparison,
  type RatchetPaths,
  type RunResult,
} from '@ratchet/types';
import type { OutputFile } from './outputs.js';
import type { Judgement } from './run.js';

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

async function readText(path: string, code: 'ERR_RATCHET_INVALID_RESULTS' | 'ERR_RATCHET_INVALID_CONFIG'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RatchetError(
      missing ? 'ERR_RATCHET_FILE_NOT_FOUND' : code,
      `${path}: cannot read (${missing ? 'no such file' : (error as Error).message})`,
      { file: path, cause: error },
    );
  }
}

export async function readRunResult(path: string): Promise<RunResult> {
  const text = await readText(path, 'ERR_RATCHET_INVALID_RESULTS');
  return validateRunResult(parseJsonText(text, path, 'ERR_RATCHET_INVALID_RESULTS'), path);
}

export async function readComparison(path: string): Promise<Comparison> {
  const text = await readText(path, 'ERR_RATCHET_INVALID_RESULTS');
  return validateComparison(parseJsonText(text, path, 'ERR_RATCHET_INVALID_RESULTS'), path);
}

export function runResultJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/**
 * What `ratchet run`/`compare` leave behind, as one write set in the order it lands: the
 * baseline and history first (when `ratchet` is set and the step moved something), so a
 * comparison on disk never tells of a move that did not land; `historyText` is the history file
 * as read (and checked) under the lock; `measured`, the RunResult when this run measured it.
 */
export function judgementOutputs(
  paths: RatchetPaths,
  judgement: Pick<Judgement, 'json' | 'markdown' | 'next'>,
  options: { ratchet: boolean; historyText: string; measured?: RunResult },
): OutputFile[] {
  // `changed` without events: only the medians of unchanged runs were added to entries.
  const rewritten = options.ratchet && judgement.next.changed;
  const appended = options.ratchet && judgement.next.events.length > 0;
  return [
    // Written with each entry's samples digested (baseline's digest.ts): a few KB an entry, not every sample.
    ...(rewritten ? [{ path: paths.baseline, text: baselineJson(digestBaseline(judgement.next.baseline)) }] : []),
    ...(appended ? [{ path: paths.history, text: historyWithEvents(options.historyText, judgement.next.events, paths.history) }] : []),
    ...(options.measured ? [{ path: paths.results, text: runResultJson(options.measured) }] : []),
    { path: paths.comparison, text: judgement.json },
    { path: paths.report, text: judgement.markdown },
  ];
}
