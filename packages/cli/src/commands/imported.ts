// `--from <format>`: another harness's output in place of a measurement Ratchet took. `compare`
// judges it (against the baseline, or against a base file with --against), `bench` saves it as
// the results, `history import` appends it to the run history. The device is the one the harness
// reported, so a file is never refused for not being measured on this machine.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { baselineFromRun, gate, gitInfo, judge, judgementOutputs, readBaseline, readImport, runResultJson, type ImportReadOptions, type RunResult } from '@ratchet/core';
import { appendRunRecord, assertAppendable, historyRecordFor, notYetRecorded, projectOf, readRunHistory } from '@ratchet/history';
import { RatchetError, type ImportFormat } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison, printRun } from '../output.js';
import { historyDir, planHistory, recordRun, reportOptions, warnSkipped, type HistoryOptions } from '../run-history.js';
import { withWrites } from '../writes.js';
import { checkedHistory, judgeAndWrite, type JudgeOptions } from './judge.js';

/** The options every `--from` command takes. */
export interface ImportCommandOptions {
  from: ImportFormat;
  unit?: string;
  device?: string;
  xNames?: string;
}

export function importReadOptions(options: ImportCommandOptions): ImportReadOptions {
  return {
    ...(options.unit === undefined ? {} : { unit: options.unit }),
    ...(options.device === undefined ? {} : { device: options.device }),
    ...(options.xNames === undefined ? {} : { xNames: options.xNames.split(',').map((name) => name.trim()) }),
  };
}

/**
 * The files as one RunResult. A harness that dates nothing (nvbench, a perf_report CSV) is dated
 * by its first file's modification time, so importing the same file twice is the same run. With
 * `checkout`, the output is taken as this checkout's (its commit recorded, as a run of Ratchet's
 * records it); a file imported into the history may be older than the checkout, and has none.
 */
export function readImported(files: readonly string[], options: ImportCommandOptions, context: CommandContext, checkout = true): RunResult {
  if (files.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', `--from ${options.from}: expected the harness's output file(s) after the options`);
  const paths = files.map((file) => resolve(context.cwd, file));
  let modified: string | undefined;
  try {
    modified = statSync(paths[0]!).mtime.toISOString();
  } catch {
    // readImport says the file is missing.
  }
  const result = readImport(options.from, paths, importReadOptions(options), modified);
  const imported = { ...result.imported!, files: result.imported!.files.map((file) => displayPath(file, context.cwd)) };
  return { ...result, git: checkout ? gitInfo(context.cwd) : null, imported };
}

/** `compare --from <format> <files...> [--against <base>]`. */
export async function compareImportedCommand(files: string[], options: JudgeOptions & ImportCommandOptions & { against?: string }, context: CommandContext): Promise<number> {
  const result = readImported(files, options, context);
  if (options.against === undefined) return judgeImported(result, options, context);
  const base = readImported([options.against], options, context);
  if (base.device.deviceKey !== result.device.deviceKey) {
    throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${options.against}: measured on ${base.device.name} (${base.device.deviceKey}), and ${files.join(', ')} on ${result.device.name} (${result.device.deviceKey}): judge files of one device against each other`, { file: options.against, field: 'device' });
  }
  const { paths, thresholds } = context.loaded.config;
  // Two files of the harness, each its own run: judged as a run against the baseline the base
  // file would be, run-to-run spread included; the committed baseline is neither read nor moved.
  return withWrites(context, [paths.report, paths.comparison], null, async (writes) => {
    const report = await reportOptions({ deviceKey: result.device.deviceKey, ids: result.measurements.map((m) => m.id) }, 'kept', options, context);
    const judgement = judge(result, baselineFromRun(base), thresholds, { report });
    await writes.write(judgementOutputs(paths, judgement, { ratchet: false, historyText: '' }));
    const { output } = context;
    if (output.json) output.out(judgement.json.trimEnd());
    else printComparison(output, judgement.comparison, displayPath(paths.report, context.cwd), 'kept');
    return gate(judgement.comparison).passed ? exitCodes.ok : exitCodes.regression;
  });
}

/** An imported run judged against the committed baseline, which it may move forward (as `compare` does). */
async function judgeImported(result: RunResult, options: JudgeOptions, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const outputs = [paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.history] : [])];
  return withWrites(context, outputs, options.ratchet ? 'ratchet compare' : null, async (writes) => {
    const baseline = await readBaseline(paths.baseline);
    const historyText = options.ratchet ? await checkedHistory(paths.history) : '';
    return judgeAndWrite(result, baseline, { ...options, historyText }, context, writes);
  });
}

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
