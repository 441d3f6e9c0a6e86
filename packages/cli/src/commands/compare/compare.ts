import { resolve } from 'node:path';
import type { CommandContext } from '../../context.js';
import { withWrites } from '../../writes.js';
import { checkedMoves, checkMeasuredHere, judgeAndWrite, type JudgeOptions } from '../../judging/judgement.js';
import { readBaseline, readRunResult } from '@ratchet/files';

/** `ratchet compare [--results file]`: judge a saved RunResult against the baseline. */
export async function compareCommand(options: JudgeOptions & { results?: string }, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const resultsPath = options.results ? resolve(context.cwd, options.results) : paths.results;
  const result = await readRunResult(resultsPath);
  checkMeasuredHere(result, resultsPath, context, options.ratchet);
  const outputs = [paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.moves] : [])];
  return withWrites(context, outputs, options.ratchet ? 'ratchet compare' : null, async (writes) => {
    const baseline = await readBaseline(paths.baseline);
    const movesText = options.ratchet ? await checkedMoves(paths.moves) : '';
    return judgeAndWrite(result, baseline, { ...options, movesText }, context, writes);
  });
}
