import { runResultJson } from '@ratchet/files';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { readImported, type ImportCommandOptions } from '../../importing/imported.js';
import { printRun } from '../../output.js';
import { planHistory, recordRun, type HistoryOptions } from '../../run-history.js';
import { withWrites } from '../../writes.js';

/** `bench --from <format> <files...>`: the harness's output saved as the results (judged by nothing), and with --history appended. */
export async function benchImportedCommand(files: string[], options: ImportCommandOptions & HistoryOptions, context: CommandContext): Promise<number> {
  const { results } = context.loaded.config.paths;
  const result = readImported(files, options, context);
  return withWrites(context, [results], null, async (writes) => {
    const history = await planHistory('bench', options, context);
    await writes.write([{ path: results, text: runResultJson(result) }]);
    await recordRun(history, result, null, null, context);
    if (context.output.json) context.output.out(runResultJson(result).trimEnd());
    else {
      printRun(context.output, result);
      if (!context.output.quiet) context.output.out(`results: ${displayPath(results, context.cwd)}`);
    }
    return result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
  });
}
