// `--from <format>`: another harness's output in place of a measurement Ratchet took, read as one
// RunResult (core's readImport) for the commands that take it: `compare` judges it (against the
// baseline, or against a base file with --against), `bench` saves it as the results, `history
// import` appends it to the run history, `run --command` reads each run of the harness. The device
// is the one the harness reported, so a file is never refused for not being measured on this machine.
import { resolve } from 'node:path';
import { readImport, type ImportReadOptions } from '@ratchet/core';
import { modifiedTime } from '@ratchet/files';
import { RatchetError, type ImportFormat, type RunResult } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { gitInfo } from '../git.js';

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
  // A missing file: readImport says so.
  const modified = modifiedTime(paths[0]!)?.toISOString();
  const result = readImport(options.from, paths, importReadOptions(options), modified);
  const imported = { ...result.imported!, files: result.imported!.files.map((file) => displayPath(file, context.cwd)) };
  return { ...result, git: checkout ? gitInfo(context.cwd) : null, imported };
}
