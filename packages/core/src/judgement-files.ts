import { baselineJson, movesWithEvents, runResultJson, type OutputFile } from '@ratchet/files';
import type { RatchetPaths, RunResult } from '@ratchet/types';
import type { Judgement } from './run.js';

/**
 * What `ratchet run`/`compare` leave behind, as one write set in the order it lands: the
 * baseline and its moves log first (when `ratchet` is set and the step moved something), so a
 * comparison on disk never tells of a move that did not land; `movesText` is the moves log
 * as read (and checked) under the lock; `measured`, the RunResult when this run measured it.
 */
export function judgementOutputs(
  paths: RatchetPaths,
  judgement: Pick<Judgement, 'json' | 'markdown' | 'next'>,
  options: { ratchet: boolean; movesText: string; measured?: RunResult },
): OutputFile[] {
  // `changed` without events: only the medians of unchanged runs were added to entries.
  const rewritten = options.ratchet && judgement.next.changed;
  const appended = options.ratchet && judgement.next.events.length > 0;
  return [
    ...(rewritten ? [{ path: paths.baseline, text: baselineJson(judgement.next.baseline) }] : []),
    ...(appended ? [{ path: paths.moves, text: movesWithEvents(options.movesText, judgement.next.events, paths.moves) }] : []),
    ...(options.measured ? [{ path: paths.results, text: runResultJson(options.measured) }] : []),
    { path: paths.comparison, text: judgement.json },
    { path: paths.report, text: judgement.markdown },
  ];
}
