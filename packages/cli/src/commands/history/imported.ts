import { appendRunRecord, assertAppendable, historyRecordFor, notYetRecorded, projectOf, readRunHistory } from '@ratchet/history';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { readImported, type ImportCommandOptions } from '../../importing/imported.js';
import { historyDir, warnSkipped } from '../../run-history.js';

/**
 * `history import --from <format> <files...>`: each file one run of the harness (a nightly's
 * output, say), appended unless the history has that run (same device, same time) already.
 */
export async function historyImportFromCommand(files: string[], options: ImportCommandOptions & { history?: string }, context: CommandContext): Promise<number> {
  if (files.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', `history import --from ${options.from}: expected at least one output file of the harness`);
  const dir = historyDir(options, context);
  const project = projectOf(context.cwd);
  const existing = await readRunHistory(dir, { project, missingOk: true });
  warnSkipped(existing.skipped, context);
  await assertAppendable(dir, project);
  // Every file read before any is appended: a bad one leaves the history as it was.
  const records = files.map((file) => historyRecordFor(readImported([file], options, context, false), null, { project }));
  const fresh = notYetRecorded(existing.records, records);
  for (const record of fresh) await appendRunRecord(dir, record);
  const { output } = context;
  if (output.json) output.out(JSON.stringify({ history: dir, imported: fresh.length, alreadyThere: records.length - fresh.length, skipped: [] }));
  else if (!output.quiet) output.out(`history: imported ${fresh.length} run(s) of ${options.from} into ${displayPath(dir, context.cwd)} (${records.length - fresh.length} already there)`);
  return exitCodes.ok;
}
