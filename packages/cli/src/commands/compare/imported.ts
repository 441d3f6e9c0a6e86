import { baselineFromRun, judge } from '@ratchet/core';
import { readBaseline } from '@ratchet/files';
import { RatchetError, type RunResult } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { readImported, type ImportCommandOptions } from '../../importing/imported.js';
import { checkedMoves, judgeAndWrite, judgementOutputs, type JudgeOptions } from '../../judging/judgement.js';
import { printComparison } from '../../output.js';
import { reportOptions } from '../../run-history.js';
import { withWrites } from '../../writes.js';

/** `compare --from <format> <files...> [--against <base>]`. */
export async function compareImportedCommand(files: string[], options: JudgeOptions & ImportCommandOptions & { against?: string }, context: CommandContext): Promise<number> {
  const result = readImported(files, options, context);
  if (options.against === undefined) return judgeImported(result, options, context);
  const base = readImported([options.against], options, context);
  if (base.device.deviceKey !== result.device.deviceKey) {
    throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${options.against}: measured on ${base.device.name} (${base.device.deviceKey}), and ${files.join(', ')} on ${result.device.name} (${result.device.deviceKey}): judge files of one device against each other`, { file: options.against, field: 'device' });
  }
  const { paths, thresholds } = context.loaded.config;
  // Two files of the harness, each its own run: judged as a run against the baseline the base
  // file would be, run-to-run spread included; the committed baseline is neither read nor moved.
  return withWrites(context, [paths.report, paths.comparison], null, async (writes) => {
    const report = await reportOptions({ deviceKey: result.device.deviceKey, ids: result.measurements.map((m) => m.id) }, 'kept', options, context);
    const judgement = judge(result, baselineFromRun(base), thresholds, { report });
    await writes.write(judgementOutputs(paths, judgement, { ratchet: false, movesText: '' }));
    const { output } = context;
    if (output.json) output.out(judgement.json.trimEnd());
    else printComparison(output, judgement.comparison, displayPath(paths.report, context.cwd), 'kept');
    return judgement.gate.passed ? exitCodes.ok : exitCodes.regression;
  });
}

/** An imported run judged against the committed baseline, which it may move forward (as `compare` does). */
async function judgeImported(result: RunResult, options: JudgeOptions, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const outputs = [paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.moves] : [])];
  return withWrites(context, outputs, options.ratchet ? 'ratchet compare' : null, async (writes) => {
    const baseline = await readBaseline(paths.baseline);
    const movesText = options.ratchet ? await checkedMoves(paths.moves) : '';
    return judgeAndWrite(result, baseline, { ...options, movesText }, context, writes);
  });
}
