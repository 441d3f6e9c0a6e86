import { movesWithEvents, readMovesText } from '@ratchet/files';
import { baselineDeviceNote, foreignDevice, gate, judge, judgementOutputs, storedWithoutCommitNote, type Baseline, type RunResult } from '@ratchet/core';
import { loadNative } from '@ratchet/native';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
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
  const elsewhere = baselineDeviceNote(baseline, result.device.deviceKey);
  if (elsewhere && !context.output.quiet) context.output.err(context.output.color.yellow(elsewhere));
  // The report's trends and dashboard link come from the run history (issue 14).
  const report = await reportOptions({ deviceKey: result.device.deviceKey, ids: result.measurements.map((m) => m.id) }, options.ratchet ? 'updated' : 'kept', options, context);
  const judgement = judge(result, baseline, thresholds, { report });
  await writes.write(judgementOutputs(paths, judgement, { ratchet: options.ratchet, movesText: options.movesText }));
  const { output } = context;
  if (output.json) output.out(judgement.json.trimEnd());
  else printComparison(output, judgement.comparison, displayPath(paths.report, context.cwd), options.ratchet ? 'updated' : 'kept');
  if (!output.json && !output.quiet && options.ratchet && judgement.next.events.length > 0) {
    output.out(`baseline: ${judgement.next.events.length} entr${judgement.next.events.length === 1 ? 'y' : 'ies'} moved forward in ${displayPath(paths.baseline, context.cwd)}`);
  }
  const uncommitted = options.ratchet ? storedWithoutCommitNote(judgement.next, { sha: result.git?.sha ?? null, time: '', ...(result.git ? { dirty: result.git.dirty } : {}) }) : null;
  if (uncommitted && !output.quiet) output.err(output.color.yellow(uncommitted));
  return gate(judgement.comparison).passed ? exitCodes.ok : exitCodes.regression;
}
