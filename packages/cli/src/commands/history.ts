import { resolve } from 'node:path';
import { appendRunRecord, assertAppendable, importSavedRuns, notYetRecorded, projectOf, readRunHistory } from '@ratchet/history';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { historyDir, warnSkipped } from '../run-history.js';

/**
 * `ratchet history import <files...>`: a record per saved RunResult (docs/results/*.json) not yet
 * in the history, with the verdicts and peers saved beside it; every other file named with the
 * reason it gave none. Importing twice adds nothing.
 */
export async function historyImportCommand(files: string[], options: { history?: string }, context: CommandContext): Promise<number> {
  if (files.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', 'history import: expected at least one results file (e.g. docs/results/*.json)');
  const dir = historyDir(options, context);
  const project = projectOf(context.cwd);
  const existing = await readRunHistory(dir, { project, missingOk: true });
  warnSkipped(existing.skipped, context);
  await assertAppendable(dir, project);
  const outcome = await importSavedRuns(files.map((f) => resolve(context.cwd, f)), { project });
  const fresh = notYetRecorded(existing.records, outcome.records);
  for (const record of fresh) await appendRunRecord(dir, record);
  const { output } = context;
  if (output.json) {
    output.out(JSON.stringify({ history: dir, imported: fresh.length, alreadyThere: outcome.records.length - fresh.length, skipped: outcome.skipped }));
    return exitCodes.ok;
  }
  if (!output.quiet) for (const skip of outcome.skipped) output.err(`skipped ${displayPath(skip.file, context.cwd)}: ${skip.reason}`);
  if (!output.quiet) output.out(`history: imported ${fresh.length} run(s) into ${displayPath(dir, context.cwd)} (${outcome.records.length - fresh.length} already there, ${outcome.skipped.length} file(s) skipped)`);
  return exitCodes.ok;
}
