import { assertWritable, runResultJson } from '@ratchet/core';
import type { CommandContext } from '../context.js';
import { displayPath } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printRun } from '../output.js';
import { measureAndWrite, planMeasurement, type MeasureCommandOptions } from './measure.js';

/** `ratchet bench [ids...]`: measure and write results, judge nothing. */
export async function benchCommand(ids: string[], options: MeasureCommandOptions, context: CommandContext): Promise<number> {
  const plan = planMeasurement(ids, options, context);
  await assertWritable([context.loaded.config.paths.results]);
  const result = await measureAndWrite(plan, context);
  if (context.output.json) context.output.out(runResultJson(result).trimEnd());
  else {
    printRun(context.output, result);
    if (!context.output.quiet) context.output.out(`results: ${displayPath(context.loaded.config.paths.results, context.cwd)}`);
  }
  return result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
}
