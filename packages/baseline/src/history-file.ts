import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RatchetError, parseJsonText, validateHistoryEvent, type HistoryEvent } from '@ratchet/types';

/** Appends one JSON line per event; earlier lines are never rewritten. */
export async function appendHistory(path: string, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, events.map((event) => `${JSON.stringify(event)}\n`).join(''), 'utf8');
  } catch (error) {
    throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${path}: cannot append (${(error as Error).message})`, { file: path, cause: error });
  }
}

/** Every event of the history file, oldest first; [] when there is none. */
export async function readHistory(path: string): Promise<HistoryEvent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new RatchetError('ERR_RATCHET_INVALID_BASELINE', `${path}: cannot read (${(error as Error).message})`, { file: path, cause: error });
  }
  return text
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => validateHistoryEvent(parseJsonText(line, `${path}:${number}`, 'ERR_RATCHET_INVALID_BASELINE'), path, number));
}
