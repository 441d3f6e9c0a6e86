import { readBaseline, readRunResult } from '@ratchet/core';
import { resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { withWrites } from '../writes.js';
import { checkedHistory, checkMeasuredHere, judgeAndWrite, type JudgeOptions } from './judge.js';

/** `ratchet compare [--results file]`: judge a saved RunResult against the baseline. */
export async function compareCommand(options: JudgeOptions & { results?: string }, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const resultsPath = options.results ? resolve(context.cwd, options.results) : paths.results;
  const result = await readRunResult(resultsPath);
  checkMeasuredHere(result, resultsPath, context, options.ratchet);
  const outputs = [paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.history] : [])];
  return withWrites(context, outputs, options.ratchet ? 'ratchet compare' : null, async (writes) => {
    const baseline = await readBaseline(paths.baseline);
    const historyText = options.ratchet ? await checkedHistory(paths.history) : '';
    return judgeAndWrite(result, baseline, { ...options, historyText }, context, writes);
  });
}
