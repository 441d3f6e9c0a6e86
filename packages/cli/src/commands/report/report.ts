import { readComparison } from '@ratchet/files';
import { renderJson, renderMarkdown } from '@ratchet/report';
import { resolve } from 'node:path';
import { RatchetError } from '@ratchet/types';
import type { CommandContext } from '../../context.js';
import { savedReportOptions } from '../../run-history.js';
import { exitCodes } from '../../exit-codes.js';

/** `ratchet report`: render a saved comparison again, to stdout. */
export async function reportCommand(options: { comparison?: string; format: string }, context: CommandContext): Promise<number> {
  if (options.format !== 'markdown' && options.format !== 'json') {
    throw new RatchetError('ERR_RATCHET_USAGE', `--format: expected markdown or json but received '${options.format}'`);
  }
  const path = options.comparison ? resolve(context.cwd, options.comparison) : context.loaded.config.paths.comparison;
  const comparison = await readComparison(path);
  const json = options.format === 'json' || context.output.json;
  const text = json ? renderJson(comparison) : renderMarkdown(comparison, await savedReportOptions(comparison, {}, context));
  context.output.out(text.trimEnd());
  return exitCodes.ok;
}
