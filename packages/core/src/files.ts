import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, parse } from 'node:path';
import { appendHistory, writeBaseline, writeFileAtomic } from '@ratchet/baseline';
import {
  RatchetError,
  parseJsonText,
  validateComparison,
  validateRunResult,
  type Comparison,
  type RatchetPaths,
  type RunResult,
} from '@ratchet/types';
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
 * Fails before any measuring when an output could not be written, so a run never spends minutes
 * of GPU time and then loses its results (or half-writes them).
 */
export async function assertWritable(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const existing = await nearestExisting(path);
    const target = existing.path === path ? path : existing.path;
    const problem =
      existing.path === path
        ? existing.isDirectory ? 'it is a directory' : null
        : existing.isDirectory ? null : `${existing.path} is not a directory`;
    if (problem) {
      throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot write here (${problem})`, { file: path });
    }
    try {
      await access(target, constants.W_OK);
    } catch (error) {
      throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot write here (${(error as Error).message})`, { file: path, cause: error });
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

/** What `ratchet run`/`compare` leave behind. The baseline moves only when `ratchet` is set. */
export async function writeJudgement(
  paths: RatchetPaths,
  judgement: Judgement,
  options: { ratchet: boolean },
): Promise<void> {
  await writeFileAtomic(paths.comparison, judgement.json);
  await writeFileAtomic(paths.report, judgement.markdown);
  // `changed` without events: only medians of unchanged runs were added to entries.
  if (options.ratchet && judgement.next.changed) {
    await writeBaseline(paths.baseline, judgement.next.baseline);
    await appendHistory(paths.history, judgement.next.events);
  }
}
