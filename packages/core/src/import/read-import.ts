// The door for every format: files (or directories of them) in, one RunResult out, or one message
// naming the file (and the benchmark) that could not be read. A file of another harness than the
// one named is refused saying which it looks like.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { listNamesSync, pathKind, readBytesSyncOrNone, readTextSync } from '@ratchet/files';
import { RatchetError, parseJsonText, type ImportFormat, type RunResult } from '@ratchet/types';
import { importError, runResultFrom, type ImportedFile } from './_shared.js';
import { looksLikeGoogleBenchmark, readGoogleBenchmark } from './google-benchmark.js';
import { looksLikeNvbench, readNvbench } from './nvbench.js';
import { looksLikePytestBenchmark, readPytestBenchmark } from './pytest-benchmark.js';
import { looksLikeRatchetSamples, readRatchetSamples } from './ratchet-samples.js';
import { readTriton, type TritonOptions } from './triton.js';

export type ImportReadOptions = TritonOptions;

const jsonFormats: { format: ImportFormat; looksLike: (value: unknown) => boolean }[] = [
  { format: 'nvbench', looksLike: looksLikeNvbench },
  { format: 'google-benchmark', looksLike: looksLikeGoogleBenchmark },
  { format: 'pytest-benchmark', looksLike: looksLikePytestBenchmark },
  { format: 'ratchet-samples', looksLike: looksLikeRatchetSamples },
];

/** Which format a parsed JSON file looks like, for the message that refuses it as another. */
function looksLike(value: unknown): ImportFormat | 'ratchet-results' | null {
  const object = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (Array.isArray(object.measurements) && typeof object.device === 'object') return 'ratchet-results';
  return jsonFormats.find((f) => f.looksLike(value))?.format ?? null;
}

function wrongFormat(file: string, format: ImportFormat, value: unknown): RatchetError | null {
  const seen = looksLike(value);
  if (seen === null || seen === format) return null;
  const hint = seen === 'ratchet-results' ? 'a Ratchet results file: give it as --results, without --from' : `${seen} output: use --from ${seen}`;
  return importError(file, `not ${format} output: it looks like ${hint}`);
}

/** The files a path names: itself, or the directory's files of the format (`*.json`, or `*.csv` for triton). */
function expand(path: string, format: ImportFormat): string[] {
  const kind = pathKind(path);
  if (kind === null) throw new RatchetError('ERR_RATCHET_FILE_NOT_FOUND', `${path}: no such file (--from ${format})`, { file: path });
  if (kind === 'file') return [path];
  const extension = format === 'triton' ? '.csv' : '.json';
  const files = listNamesSync(path).filter((name) => name.endsWith(extension)).map((name) => join(path, name));
  if (files.length === 0) throw importError(path, `a directory with no ${extension} file in it (--from ${format})`);
  return files;
}

/** nvbench's sidecars, named relative to the JSON file's directory (or absolute, as older versions wrote them). */
function sidecarReader(file: string): (name: string) => Uint8Array | null {
  return (name) => {
    for (const candidate of isAbsolute(name) ? [name] : [resolve(dirname(file), name), resolve(name)]) {
      const bytes = readBytesSyncOrNone(candidate);
      if (bytes) return bytes;
    }
    return null;
  };
}

function readOne(format: ImportFormat, file: string, options: ImportReadOptions): ImportedFile {
  try {
    return readFormat(format, file, options);
  } catch (error) {
    // A structure the format does not have where it should be (an object for an array, ...): the
    // readers walk fixed paths, and a file that breaks them is malformed, not a bug of Ratchet's.
    if (error instanceof TypeError || error instanceof RangeError) throw importError(file, `not well-formed ${format} output (${error.message})`);
    throw error;
  }
}

function readFormat(format: ImportFormat, file: string, options: ImportReadOptions): ImportedFile {
  const text = readTextSync(file, { code: 'ERR_RATCHET_INVALID_RESULTS' });
  if (format === 'triton') {
    if (/^\s*[{[]/.test(text)) throw importError(file, 'not a perf_report CSV: it holds JSON (name its format with --from)');
    return readTriton(text, file, options);
  }
  // The readers walk each format's fixed paths and recurse into nothing: no nesting bound needed (_shared.ts paramValue).
  const value = parseJsonText(text, file, 'ERR_RATCHET_INVALID_RESULTS', { checkDepth: format === 'ratchet-samples' });
  const wrong = wrongFormat(file, format, value);
  if (wrong) throw wrong;
  switch (format) {
    case 'nvbench':
      return readNvbench(value, file, options, sidecarReader(file));
    case 'google-benchmark':
      return readGoogleBenchmark(value, file);
    case 'pytest-benchmark':
      return readPytestBenchmark(value, file);
    case 'ratchet-samples':
      return readRatchetSamples(value, file);
  }
}

/**
 * `--from <format> <files...>`: every file read (a directory: its files of the format), one
 * device's, into one RunResult whose measurements carry what the harness kept. Nothing of it was
 * checked by Ratchet (correctness null); RunResult.imported says where it came from.
 */
export function readImport(format: ImportFormat, paths: readonly string[], options: ImportReadOptions = {}, createdAt = new Date().toISOString()): RunResult {
  const files = paths.flatMap((path) => expand(path, format)).map((path) => ({ path, read: readOne(format, path, options) }));
  const result = runResultFrom(format, files, createdAt);
  if (result.measurements.length === 0) throw importError(files.map((f) => f.path).join(', '), `no benchmarks in it: a run of nothing would pass having measured nothing`);
  return result;
}
