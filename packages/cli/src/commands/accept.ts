import { accept, appendHistory, assertWritable, readBaseline, readRunResult, writeBaseline } from '@ratchet/core';
import { resolve } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';

/**
 * `ratchet accept <ids...> --reason "..."`: the one way a baseline gets slower, on purpose and on
 * the record (history.jsonl keeps the reason).
 */
export async function acceptCommand(
  ids: string[],
  options: { all?: boolean; reason?: string; results?: string },
  context: CommandContext,
): Promise<number> {
  if (options.all && ids.length > 0) throw new RatchetError('ERR_RATCHET_USAGE', 'give benchmark ids or --all, not both');
  if (!options.all && ids.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', 'name the benchmarks to accept, or pass --all');
  const { paths } = context.loaded.config;
  const result = await readRunResult(options.results ? resolve(context.cwd, options.results) : paths.results);
  const baseline = await readBaseline(paths.baseline);
  const step = accept(baseline, result, options.all ? 'all' : ids, options.reason ?? '', {
    sha: result.git?.sha ?? null,
    time: new Date().toISOString(),
  });
  await assertWritable([paths.baseline, paths.history]);
  await writeBaseline(paths.baseline, step.baseline);
  await appendHistory(paths.history, step.events);
  if (context.output.json) context.output.out(JSON.stringify(step.events, null, 2));
  else if (!context.output.quiet) {
    context.output.out(`accepted ${step.events.length} benchmark(s) into ${displayPath(paths.baseline, context.cwd)}: ${options.reason}`);
  }
  return exitCodes.ok;
}
