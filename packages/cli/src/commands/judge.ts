import { judge, writeJudgement, type Baseline, type RunResult } from '@ratchet/core';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';
import { reportOptions, type HistoryOptions } from '../run-history.js';

export interface JudgeOptions extends HistoryOptions {
  /** Move the baseline forward on new/improved benchmarks (off for pull-request runs). */
  ratchet: boolean;
}

/** Shared by `run` and `compare`: verdicts, report files, the ratchet step, the exit status. */
export async function judgeAndWrite(
  result: RunResult,
  baseline: Baseline | null,
  options: JudgeOptions,
  context: CommandContext,
): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  // The report's trends and dashboard link come from the run history (issue 14).
  const report = await reportOptions({ deviceKey: result.device.deviceKey, ids: result.measurements.map((m) => m.id) }, options.ratchet ? 'updated' : 'kept', options, context);
  const judgement = judge(result, baseline, thresholds, { report });
  await writeJudgement(paths, judgement, options);
  const { output } = context;
  if (output.json) output.out(judgement.json.trimEnd());
  else printComparison(output, judgement.comparison, displayPath(paths.report, context.cwd));
  if (!output.json && !output.quiet && options.ratchet && judgement.next.events.length > 0) {
    output.out(`baseline: ${judgement.next.events.length} entr${judgement.next.events.length === 1 ? 'y' : 'ies'} moved forward in ${displayPath(paths.baseline, context.cwd)}`);
  }
  const { regression, invalid } = judgement.comparison.counts;
  return regression + invalid > 0 ? exitCodes.regression : exitCodes.ok;
}
