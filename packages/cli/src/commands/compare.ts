import { assertWritable, readBaseline, readRunResult } from '@ratchet/core';
import { resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { judgeAndWrite, type JudgeOptions } from './judge.js';

/** `ratchet compare [--results file]`: judge a saved RunResult against the baseline. */
export async function compareCommand(options: JudgeOptions & { results?: string }, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const result = await readRunResult(options.results ? resolve(context.cwd, options.results) : paths.results);
  const baseline = await readBaseline(paths.baseline);
  await assertWritable([paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.history] : [])]);
  return judgeAndWrite(result, baseline, options, context);
}
