// What judging a run shares (run, compare, accept): a results file moves the baseline only where
// it was measured, the moves log is checked before anything is measured, and a judgement lands as
// one write set, baseline and moves log first.
import { digestBaseline, storedWithoutCommitNote } from '@ratchet/baseline';
import { foreignDevice, judge, type Judgement } from '@ratchet/core';
import { baselineJson, movesWithEvents, readMovesText, runResultJson, type OutputFile } from '@ratchet/files';
import { loadNative } from '@ratchet/native';
import { RatchetError, type Baseline, type RatchetPaths, type RunResult } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { migrationNote } from './digest-note.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';
import { reportOptions, type HistoryOptions } from '../run-history.js';
import type { Writes } from '../writes.js';

export interface JudgeOptions extends HistoryOptions {
  /** Move the baseline forward on new/improved benchmarks (off for pull-request runs). */
  ratchet: boolean;
}

/**
 * A saved results file may move the baseline (compare, accept) only on the machine that
 * measured it: this machine must have a device of its backend with the same key and name.
 * Otherwise it is refused (`refuse`), or judged with one line saying so (compare --no-ratchet).
 */
export function checkMeasuredHere(result: RunResult, path: string, context: CommandContext, refuse: boolean): void {
  // Another harness's output (bench --from) names the device its harness reported, under a key of
  // that harness's (`nvbench/...`): no device of this machine's backends has it, and none needs to.
  // Only such a key: `imported` written into a file does not open a device of Ratchet's own.
  if (result.imported && result.device.deviceKey.startsWith(`${result.imported.format}/`)) return;
  const problem = foreignDevice(result, loadNative().devices(result.device.backend));
  if (problem === null) return;
  if (refuse) {
    throw new RatchetError(
      'ERR_RATCHET_INVALID_RESULTS',
      `${path}: device: ${problem}; a results file moves the baseline only on the device that measured it (measure here with ratchet run, or judge it with --no-ratchet)`,
      { file: path, field: 'device' },
    );
  }
  if (!context.output.quiet) context.output.err(context.output.color.yellow(`${displayPath(path, context.cwd)}: ${problem}: judged only, as --no-ratchet asks`));
}

/** The moves log as it is now, checked line by line before anything is measured or judged. */
export async function checkedMoves(path: string): Promise<string> {
  const text = await readMovesText(path);
  movesWithEvents(text, [], path);
  return text;
}

/** `compare`: verdicts, report files, the ratchet step (one write set), the exit status. */
export async function judgeAndWrite(
  result: RunResult,
  baseline: Baseline | null,
  options: JudgeOptions & { movesText: string },
  context: CommandContext,
  writes: Writes,
): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  // The report's trends and dashboard link come from the run history (issue 14).
  const report = await reportOptions({ deviceKey: result.device.deviceKey, ids: result.measurements.map((m) => m.id) }, options.ratchet ? 'updated' : 'kept', options, context);
  const judgement = judge(result, baseline, thresholds, { report });
  if (judgement.deviceNote && !context.output.quiet) context.output.err(context.output.color.yellow(judgement.deviceNote));
  const files = judgementOutputs(paths, judgement, { ratchet: options.ratchet, movesText: options.movesText });
  const migrated = migrationNote(baseline, files, paths.baseline, context);
  await writes.write(files);
  const { output } = context;
  if (migrated && !output.quiet) output.err(migrated);
  if (output.json) output.out(judgement.json.trimEnd());
  else printComparison(output, judgement.comparison, displayPath(paths.report, context.cwd), options.ratchet ? 'updated' : 'kept');
  if (!output.json && !output.quiet && options.ratchet && judgement.next.events.length > 0) {
    output.out(`baseline: ${judgement.next.events.length} entr${judgement.next.events.length === 1 ? 'y' : 'ies'} moved forward in ${displayPath(paths.baseline, context.cwd)}`);
  }
  const uncommitted = options.ratchet ? storedWithoutCommitNote(judgement.next, { sha: result.git?.sha ?? null, time: '', ...(result.git ? { dirty: result.git.dirty } : {}) }) : null;
  if (uncommitted && !output.quiet) output.err(output.color.yellow(uncommitted));
  return judgement.gate.passed ? exitCodes.ok : exitCodes.regression;
}

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
    // Written with each entry's samples digested (baseline's digest.ts): a few KB an entry, not every sample.
    ...(rewritten ? [{ path: paths.baseline, text: baselineJson(digestBaseline(judgement.next.baseline)) }] : []),
    ...(appended ? [{ path: paths.moves, text: movesWithEvents(options.movesText, judgement.next.events, paths.moves) }] : []),
    ...(options.measured ? [{ path: paths.results, text: runResultJson(options.measured) }] : []),
    { path: paths.comparison, text: judgement.json },
    { path: paths.report, text: judgement.markdown },
  ];
}
