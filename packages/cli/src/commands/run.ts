import { assertWritable, readBaseline } from '@ratchet/core';
import type { CommandContext } from '../context.js';
import { judgeAndWrite, type JudgeOptions } from './judge.js';
import { measureAndWrite, planMeasurement, type MeasureCommandOptions } from './measure.js';

/**
 * `ratchet run [ids...]`: bench + compare. Every input is read and every output path checked
 * before the first sample, so bad input costs no GPU time and leaves nothing half-written.
 */
export async function runCommand(ids: string[], options: MeasureCommandOptions & JudgeOptions, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const plan = planMeasurement(ids, options, context);
  const baseline = await readBaseline(paths.baseline);
  await assertWritable([paths.results, paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.history] : [])]);
  const result = await measureAndWrite(plan, context);
  return judgeAndWrite(result, baseline, options, context);
}
