import { appendFile, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RatchetError, parseJsonText, validateHistoryEvent, type HistoryEvent } from '@ratchet/types';
import { makeDirectories } from './directories.js';

/** The history file's text; '' when there is none yet. */
export async function readHistoryText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new RatchetError('ERR_RATCHET_INVALID_BASELINE', `${path}: cannot read (${(error as Error).message})`, { file: path, cause: error });
  }
}

/**
 * Every event of a history file's text, oldest first. A line that is not a whole event (a cut
 * write, a bad merge) is an error naming `path:line`.
 */
export function parseHistory(text: string, path: string): HistoryEvent[] {
  return text
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => validateHistoryEvent(parseJsonText(line, `${path}:${number}`, 'ERR_RATCHET_INVALID_BASELINE'), path, number));
}

/**
 * The history's text with `events` appended, after checking every line already there (so a
 * damaged file is refused, never glued onto). The new lines start on a line of their own even
 * when the file's last line lacks its newline.
 */
export function historyWithEvents(existing: string, events: readonly HistoryEvent[], path: string): string {
  parseHistory(existing, path);
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}${events.map((event) => `${JSON.stringify(event)}\n`).join('')}`;
}

/** Appends one JSON line per event; earlier lines are checked first and never rewritten. */
export async function appendHistory(path: string, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const existing = await readHistoryText(path);
  const text = historyWithEvents(existing, events, path).slice(existing.length);
  try {
    await makeDirectories(dirname(path));
    await appendFile(path, text, 'utf8');
  } catch (error) {
    throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot append (${(error as Error).message})`, { file: path, cause: error });
  }
}

/** Every event of the history file, oldest first; [] when there is none. */
export async function readHistory(path: string): Promise<HistoryEvent[]> {
  return parseHistory(await readHistoryText(path), path);
}
