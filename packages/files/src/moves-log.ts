// The baseline's moves log (`paths.moves`, `.ratchet/history.jsonl` by default): one JSON line per
// move of the baseline (a new entry, an improvement, an accepted figure, a correction), appended,
// never rewritten. Not the run history (`.ratchet/runs/`, @ratchet/history), which records runs.
import { parseJsonText, validateMoveEvent, type MoveEvent } from '@ratchet/types';
import { readTextOrNone } from './read.js';

const fault = { code: 'ERR_RATCHET_INVALID_BASELINE' } as const;

/** The moves log's text; '' when there is none yet. */
export async function readMovesText(path: string): Promise<string> {
  return (await readTextOrNone(path, fault)) ?? '';
}

/**
 * Every move of a log's text, oldest first. A line that is not a whole move (a cut write, a bad
 * merge) is an error naming `path:line`.
 */
export function parseMoves(text: string, path: string): MoveEvent[] {
  return text
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => validateMoveEvent(parseJsonText(line, `${path}:${number}`, fault.code), path, number));
}

/**
 * The log's text with `moves` appended, after checking every line already there (so a damaged
 * file is refused, never glued onto). The new lines start on a line of their own even when the
 * file's last line lacks its newline.
 */
export function movesWithEvents(existing: string, moves: readonly MoveEvent[], path: string): string {
  parseMoves(existing, path);
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}${moves.map((move) => `${JSON.stringify(move)}\n`).join('')}`;
}

/** Every move of the log, oldest first; [] when there is none. */
export async function readMoves(path: string): Promise<MoveEvent[]> {
  return parseMoves(await readMovesText(path), path);
}
