// What the measuring commands share: the plan (backend, problem sources, the suite checked, the
// budget), the tuning file as a run may use it, and bench's measuring of the plan.
import { dirname, relative } from 'node:path';
import { checkSuite, checkTuning, declaresOwnProblems, measureRun, selectBenchmarks, type MeasureBackend, type ProblemCatalog, type ProblemSources } from '@ratchet/core';
import { readTuning } from '@ratchet/files';
import { RatchetError, type Backend, type Benchmark, type MeasureBudget, type RunResult, type Tuning } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { gitInfo } from '../git.js';
import { interruptible } from '../signals.js';
import { selectBackend, type BackendChoice, type OwnSuites, type SelectedBackend } from './backend.js';
import { parseDeviceSelector } from './device-choice.js';
import { printEvents } from './events.js';
import { planShard, type PlannedShard } from './shards.js';
import { openSources } from './sources.js';
import { checkOwnBuild } from './stale-build.js';

export interface MeasureCommandOptions {
  backend: BackendChoice;
  /** `--device <index|uuid>` (device-choice.ts); absent: the backend's first device. */
  device?: string;
  /** `--shard i/n` (shards.ts): measure one slice of the suite; absent: all of it. */
  shard?: string;
}

/** What `bench`, `run` and the rest share: the backend, its problem sources, the suite checked against them, the budget. */
export interface MeasurementPlan {
  selected: SelectedBackend;
  sources: ProblemSources;
  /** Opens each benchmark on the source that declares its kernel; a signal stops it between steps. */
  measure: MeasureBackend;
  benchmarks: Benchmark[];
  /** Benchmarks in the backend's whole suite, of which `benchmarks` are the ones asked for. */
  suiteSize: number;
  budget: MeasureBudget;
  /** `--shard`: the slice `benchmarks` is, of `unsharded`; null: `benchmarks` is all that was asked for. */
  shard: PlannedShard | null;
  /** The benchmarks asked for, before any shard took its slice: what the shards' stamps name. */
  unsharded: Benchmark[];
}

/**
 * Runs `body` with the plan of a measuring command: backend chosen, plugins loaded, processes
 * started, the suite checked against the problems (names, values, and the order ids are built
 * in), the ids asked for selected. Process sources are stopped when `body` ends, however it ends.
 */
export async function withPlan<T>(
  ids: string[], options: MeasureCommandOptions, context: CommandContext, body: (plan: MeasurementPlan) => Promise<T>, stale: 'warn' | 'refuse' = 'warn',
  // Relative mode measures the base's suite (base-gate.ts): the suite from the catalog, checked there.
  suiteFrom?: (catalog: ProblemCatalog, backend: Backend) => Benchmark[],
): Promise<T> {
  checkOwnBuild(context, stale);
  const selector = options.device === undefined ? null : parseDeviceSelector(options.device);
  const selected = withoutConfigNote(context, selectBackend(options.backend, undefined, ownSuites(context), selector));
  const where = { file: context.loaded.file ?? 'the default suite', field: `suites.${selected.backend}` };
  const listed = context.loaded.config.suites[selected.backend];
  if (listed.length === 0 && declaresOwnProblems(context.loaded.config)) throw noOwnSuite(where, selected.backend);
  const sources = await openSources(context, { ...selected, configRoot: context.loaded.root, index: selected.device.index ?? 0 });
  try {
    const suite = suiteFrom ? suiteFrom(sources.catalog, selected.backend) : checkSuite(listed, sources.catalog, selected.backend, where);
    const benchmarks = selectBenchmarks(suite, ids);
    const budget = context.loaded.config.budgets[selected.backend];
    const shard = options.shard === undefined ? null : await planShard(options.shard, benchmarks, sources.backend, budget, context);
    if (shard && !context.output.quiet) context.output.err(shard.note);
    const measured = shard ? shard.slice.benchmarks : benchmarks;
    return await body({ selected, sources, measure: interruptible(sources.backend), benchmarks: measured, suiteSize: suite.length, budget, shard, unsharded: benchmarks });
  } finally {
    await sources.close();
  }
}

/** The config's own suites, when it brings problems of its own (backend.ts: `auto` follows them). */
function ownSuites(context: CommandContext): OwnSuites | undefined {
  const { config, file } = context.loaded;
  if (file === null || !declaresOwnProblems(config)) return undefined;
  return { sizes: { cpu: config.suites.cpu.length, cuda: config.suites.cuda.length }, file: displayPath(file, context.cwd) };
}

/** A config with problems of its own and no suite for the backend: never the built-in one in its place. */
function noOwnSuite(where: { file: string; field: string }, backend: string): RatchetError {
  return new RatchetError(
    'ERR_RATCHET_INVALID_CONFIG',
    `${where.file}: ${where.field}: no benchmarks for the ${backend} backend, and the config declares problems of its own (plugins, processes), so Ratchet's built-in suite is not timed in their place: list the benchmarks to time there (ratchet problems shows what can be timed)`,
    { file: where.file, field: where.field },
  );
}

/**
 * With no ratchet.config.json the run times Ratchet's own built-in suite and writes beside it: one
 * line says so (suite, why this backend, where the files go), in place of the no-GPU note.
 */
function withoutConfigNote(context: CommandContext, selected: SelectedBackend): SelectedBackend {
  const { config, file } = context.loaded;
  if (file !== null) return selected;
  const suite = config.suites[selected.backend];
  const kernels = [...new Set(suite.map((benchmark) => benchmark.kernel))].join(', ');
  const here = (path: string) => `${relative(context.cwd, dirname(path)) || '.'}/`;
  const why = selected.noGpu ? `; ${selected.noGpu}` : '';
  const note = `no ratchet.config.json in ${context.cwd}: timing Ratchet's built-in ${selected.backend} suite (${suite.length} benchmarks of ${kernels}${why}), writing under ${here(config.paths.baseline)} and ${here(config.paths.results)}`;
  return { ...selected, note };
}

/**
 * The tuning file as `bench`, `run` and `sota` may use it: each entry that pins a variant is
 * checked against the variants and code of this build (core's tuning-check.ts); a stale one is
 * left out, its default variant runs, and one line per reason says so.
 */
export async function readCheckedTuning(context: CommandContext, plan: MeasurementPlan): Promise<Tuning | null> {
  const tuning = await readTuning(context.loaded.config.paths.tuning);
  const checked = await checkTuning(tuning, plan.benchmarks, { sources: plan.sources, backend: plan.measure });
  const onEvent = printEvents(context);
  for (const text of checked.notes) onEvent({ kind: 'note', text });
  return checked.tuning;
}

/** `bench`: the suite measured with the variants of `tuning` (readCheckedTuning); the caller writes the RunResult. */
export async function measurePlan(plan: MeasurementPlan, context: CommandContext, tuning: Tuning | null, options: { seed?: number } = {}): Promise<RunResult> {
  const onEvent = printEvents(context);
  if (plan.selected.note) onEvent({ kind: 'note', text: plan.selected.note });
  const result = await measureRun({
    backend: plan.measure, benchmarks: plan.benchmarks, budget: plan.budget,
    tuning, git: gitInfo(context.cwd), onEvent, ...options,
    ...(plan.shard ? { shard: plan.shard.scope } : {}),
  });
  context.output.progress(null);
  return result;
}
