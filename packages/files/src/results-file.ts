import { validateComparison, validateRunResult, type Comparison, type RunResult } from '@ratchet/types';
import { readJson } from './read.js';

const fault = { code: 'ERR_RATCHET_INVALID_RESULTS' } as const;

/** A saved RunResult (`paths.results`, `ratchet bench`'s output); a missing file is ERR_RATCHET_FILE_NOT_FOUND. */
export async function readRunResult(path: string): Promise<RunResult> {
  return readJson(path, validateRunResult, fault);
}

/** A saved comparison (`paths.comparison`); a missing file is ERR_RATCHET_FILE_NOT_FOUND. */
export async function readComparison(path: string): Promise<Comparison> {
  return readJson(path, validateComparison, fault);
}

export function runResultJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
