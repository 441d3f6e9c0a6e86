import { judge, writeJudgement, type Baseline, type RunResult } from '@ratchet/core';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';

export interface JudgeOptions {
  /** Move the baseline forward on new/improved benchmarks (off for pull-request runs). */
  ratchet: boolean;
  /** Looks the run takes at the data (remeasureLooks when it re-measures what was inconclusive); default 1. */
  looks?: number;
}

/** Shared by `run` and `compare`: verdicts, report files, the ratchet step, the exit status. */
export async function judgeAndWrite(
  result: RunResult,
  baseline: Baseline | null,
  options: JudgeOptions,
  context: CommandContext,
): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  const judgement = judge(result, baseline, thresholds, options.looks === undefined ? {} : { looks: options.looks });
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
