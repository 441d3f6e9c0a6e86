import { renderJson, renderMarkdown, renderMergedMarkdown } from '@ratchet/report';
import { resolve } from 'node:path';
import { RatchetError } from '@ratchet/types';
import type { CommandContext } from '../../context.js';
import { mergedJson, readJudged } from '../../judging/merged-file.js';
import { savedReportOptions } from '../../run-history.js';
import { exitCodes } from '../../exit-codes.js';

/** `ratchet report`: render a saved comparison (or a merge of several, `results/merged.json`) again, to stdout. */
export async function reportCommand(options: { comparison?: string; format: string }, context: CommandContext): Promise<number> {
  if (options.format !== 'markdown' && options.format !== 'json') {
    throw new RatchetError('ERR_RATCHET_USAGE', `--format: expected markdown or json but received '${options.format}'`);
  }
  const path = options.comparison ? resolve(context.cwd, options.comparison) : context.loaded.config.paths.comparison;
  const judged = await readJudged(path);
  const json = options.format === 'json' || context.output.json;
  if (judged.kind === 'merged') {
    const { merged } = judged;
    // Each device's section as the lone report would read: trends, and what its run did to the baseline.
    const perDevice = new Map(await Promise.all(merged.comparisons.map(async (c) => [c.device.deviceKey, await savedReportOptions(c, {}, context)] as const)));
    context.output.out((json ? mergedJson(merged) : renderMergedMarkdown(merged, {}, (key) => perDevice.get(key) ?? {})).trimEnd());
    return exitCodes.ok;
  }
  const { comparison } = judged;
  const text = json ? renderJson(comparison) : renderMarkdown(comparison, await savedReportOptions(comparison, {}, context));
  context.output.out(text.trimEnd());
  return exitCodes.ok;
}
