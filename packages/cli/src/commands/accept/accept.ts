import { baselineJson, movesWithEvents, readBaseline, readRunResult } from '@ratchet/files';
import { accept, digestBaseline, storedWithoutCommitNote } from '@ratchet/baseline';
import { resolve } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { withWrites } from '../../writes.js';
import { migrationNote } from '../../judging/digest-note.js';
import { checkedMoves, checkMeasuredHere } from '../../judging/judgement.js';

/**
 * `ratchet accept <ids...> --reason "..."`: the one way a baseline gets slower, on purpose and on
 * the record (the moves log keeps the reason). Baseline and moves log land together, under the lock.
 */
export async function acceptCommand(
  ids: string[],
  options: { all?: boolean; reason?: string; results?: string },
  context: CommandContext,
): Promise<number> {
  if (options.all && ids.length > 0) throw new RatchetError('ERR_RATCHET_USAGE', 'give benchmark ids or --all, not both');
  if (!options.all && ids.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', 'name the benchmarks to accept, or pass --all');
  const { paths } = context.loaded.config;
  const resultsPath = options.results ? resolve(context.cwd, options.results) : paths.results;
  const result = await readRunResult(resultsPath);
  checkMeasuredHere(result, resultsPath, context, true);
  return withWrites(context, [paths.baseline, paths.moves], 'ratchet accept', async (writes) => {
    const baseline = await readBaseline(paths.baseline);
    const movesText = await checkedMoves(paths.moves);
    const at = { sha: result.git?.sha ?? null, time: new Date().toISOString(), ...(result.git ? { dirty: result.git.dirty } : {}) };
    const step = accept(baseline, result, options.all ? 'all' : ids, options.reason ?? '', at);
    const files = [
      { path: paths.baseline, text: baselineJson(digestBaseline(step.baseline)) },
      { path: paths.moves, text: movesWithEvents(movesText, step.events, paths.moves) },
    ];
    const migrated = migrationNote(baseline, files, paths.baseline, context);
    await writes.write(files);
    if (migrated && !context.output.quiet) context.output.err(migrated);
    if (context.output.json) context.output.out(JSON.stringify(step.events, null, 2));
    else if (!context.output.quiet) {
      context.output.out(`accepted ${step.events.length} benchmark(s) into ${displayPath(paths.baseline, context.cwd)}: ${options.reason}`);
    }
    const uncommitted = storedWithoutCommitNote(step, at);
    if (uncommitted && !context.output.quiet) context.output.err(context.output.color.yellow(uncommitted));
    return exitCodes.ok;
  });
}
