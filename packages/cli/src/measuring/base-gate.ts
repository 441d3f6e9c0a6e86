import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkSuite, configFileName, configFromText, type LoadedConfig, type ProblemCatalog } from '@ratchet/core';
import { benchmarkId, isRatchetError, type Backend, type RatchetError, type Benchmark, type GateChanges, type RemovedBenchmark } from '@ratchet/types';
import type { CommandContext } from '../context.js';
import { fileAtCommit, repoRoot } from '../git.js';

/**
 * The config of the commit a relative run compares against: its thresholds, budgets and suite
 * judge the run (a pull request does not set its own gate), and its build, plugins and processes
 * make the base side. Paths are resolved as though it stood where this checkout's config does, so
 * plugins rebase onto the base checkout the way the head's do.
 */
export interface BaseGate {
  loaded: LoadedConfig;
  judgedWith: GateChanges['judgedWith'];
}

/**
 * The base's gate: its ratchet.config.json at `sha` (git), or the one in a prebuilt base checkout
 * (`dir`); the defaults where the base has none (with this checkout's suite: the base declares
 * none of its own); null where there is no base version to read (a config kept outside the
 * repository serves both sides, as before). `judgedWith: 'head'`: a prebuilt base of unknown
 * commit without a config, judged with this checkout's and said so.
 */
export function readBaseGate(context: CommandContext, base: { sha: string; dir?: string }): BaseGate | null {
  const { loaded } = context;
  let top: string;
  try {
    top = repoRoot(context.cwd);
  } catch {
    return null;
  }
  const inside = relative(top, loaded.file ?? join(loaded.root, configFileName));
  if (inside.startsWith('..')) return null;
  const prebuilt = base.dir !== undefined && existsSync(join(base.dir, inside)) ? readFileSync(join(base.dir, inside), 'utf8') : null;
  const known = base.sha !== 'unknown';
  const text = prebuilt ?? (known ? fileAtCommit(top, base.sha, inside) : null);
  const file = prebuilt !== null ? join(base.dir!, inside) : `${base.sha.slice(0, 12)}:${inside}`;
  if (text !== null) return { loaded: { ...configFromText(text, file, loaded.root), file }, judgedWith: 'base' };
  if (!known) return { loaded, judgedWith: 'head' };
  const defaults = configFromText('{}', `${base.sha.slice(0, 12)} (no ${inside}: the defaults)`, loaded.root);
  return { loaded: { ...defaults, config: { ...defaults.config, suites: loaded.config.suites } }, judgedWith: 'defaults' };
}

/**
 * The suite a relative run measures: the base's, in its order, then what the head adds. A base
 * benchmark the head's suite leaves out is measured all the same where the head still runs it,
 * and reported as removed either way; where the head cannot run it (its problem gone, a value it
 * no longer allows) it is reported with the reason instead of failing the run.
 */
export function gateSuite(options: { gate: Benchmark[]; head: Benchmark[]; catalog: ProblemCatalog; backend: Backend; files: { gate: string; head: string } }): { suite: Benchmark[]; removed: RemovedBenchmark[] } {
  const field = `suites.${options.backend}`;
  const head = checkSuite(options.head, options.catalog, options.backend, { file: options.files.head, field });
  const headIds = new Set(head.map(benchmarkId));
  const suite: Benchmark[] = [];
  const removed: RemovedBenchmark[] = [];
  for (const [index, entry] of options.gate.entries()) {
    try {
      const [checked] = checkSuite([entry], options.catalog, options.backend, { file: options.files.gate, field: `${field}[${index}]` });
      suite.push(checked!);
      if (!headIds.has(benchmarkId(checked!))) removed.push({ id: benchmarkId(checked!), measured: true });
    } catch (error) {
      if (!isRatchetError(error)) throw error;
      // The message without its `file: field: `, which points into the base's config, not the head's.
      const { file, field: at } = error as RatchetError;
      const located = `${file}: ${at}: `;
      removed.push({ id: benchmarkId(entry), measured: false, reason: error.message.startsWith(located) ? error.message.slice(located.length) : error.message });
    }
  }
  const gateIds = new Set(suite.map(benchmarkId));
  return { suite: [...suite, ...head.filter((benchmark) => !gateIds.has(benchmarkId(benchmark)))], removed };
}
