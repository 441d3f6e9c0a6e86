import { readTuning } from '@ratchet/files';
import { checkSuite, checkTuning, declaresOwnProblems, gitInfo, ignoredTuningNotes, measureRun, selectBenchmarks, sourcesProbe, type MeasureBackend, type PipelineEvent, type ProblemCatalog, type ProblemSources, type RunResult } from '@ratchet/core';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadNativeFrom, nativeAddonPath } from '@ratchet/native';
import { RatchetError, isRatchetError, type Backend, type Benchmark, type MeasureBudget, type Tuning } from '@ratchet/types';
import { buildBase, resolveCommit, type BaseCheckout } from '../base-build.js';
import { readBaseGate } from '../base-gate.js';
import { selectBackend, type BackendChoice, type OwnSuites, type SelectedBackend } from '../backend.js';
import { openSources } from '../sources.js';
import { displayPath, type CommandContext } from '../context.js';
import { formatMs } from '../output.js';
import { interruptible } from '../signals.js';
import { checkOwnBuild, staleBuild } from '../stale-build.js';

export interface MeasureCommandOptions {
  backend: BackendChoice;
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
  const selected = withoutConfigNote(context, selectBackend(options.backend, undefined, ownSuites(context)));
  const where = { file: context.loaded.file ?? 'the default suite', field: `suites.${selected.backend}` };
  const listed = context.loaded.config.suites[selected.backend];
  if (listed.length === 0 && declaresOwnProblems(context.loaded.config)) throw noOwnSuite(where, selected.backend);
  const sources = await openSources(context, { ...selected, configRoot: context.loaded.root });
  try {
    const suite = suiteFrom ? suiteFrom(sources.catalog, selected.backend) : checkSuite(listed, sources.catalog, selected.backend, where);
    const benchmarks = selectBenchmarks(suite, ids);
    return await body({ selected, sources, measure: interruptible(sources.backend), benchmarks, suiteSize: suite.length, budget: context.loaded.config.budgets[selected.backend] });
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
 * Prints what the pipeline reports: a redrawn status line on a terminal, and in a log (no TTY)
 * one plain line per benchmark as it finishes, so a long run is never silent.
 */
export function printEvents(context: CommandContext): (event: PipelineEvent) => void {
  const { output } = context;
  return (event) => {
    if (event.kind === 'progress') {
      output.progress(`[${event.index + 1}/${event.total}] ${event.id}  ${event.samples} samples  ${(event.elapsedMs / 1e3).toFixed(1)} s`);
      return;
    }
    output.progress(null);
    if (output.quiet) return;
    if (event.kind === 'note') output.err(output.color.yellow(event.text));
    else if (event.kind === 'remeasure') output.err(`re-measured ${event.ids.length} inconclusive benchmark(s) with twice the budget: ${event.ids.join(', ')}`);
    else if (event.kind === 'confirm') {
      output.err(event.available
        ? `confirming ${event.ids.length} cross-run change(s) past the threshold against ${event.baseSha.slice(0, 12)} (the baseline's commit), interleaved: ${event.ids.join(', ')}`
        : `cannot build ${event.baseSha.slice(0, 12)} (the baseline's commit): ${event.ids.join(', ')} stay unconfirmed, failing only far past any drift between runs`);
    } else if (event.kind === 'measured') {
      const m = event.measurement;
      const figure = m.summary ? `${formatMs(m.summary.median)}, n=${m.summary.n}` : `invalid: ${m.correctness.detail ?? 'failed its check'}`;
      output.finished(`[${event.index + 1}/${event.total}] ${m.id}  ${figure}`);
    }
  };
}

/**
 * The code of commit `sha` built beside the checkout (relative mode's worktree build), with its
 * own problem sources, on the same backend and device; null, with a line saying why, when it
 * cannot be had (no git, unknown commit, failed build, another device). Its sources stay open
 * until `close` is called.
 */
export function baseBackendAt(context: CommandContext, plan: MeasurementPlan): { baseAt: (sha: string) => Promise<MeasureBackend | null>; close: () => Promise<void> } {
  const opened: ProblemSources[] = [];
  const baseAt = async (sha: string): Promise<MeasureBackend | null> => {
    try {
      // That commit's own build, plugins and processes (its ratchet.config.json), as relative mode's base.
      const own = readBaseGate(context, { sha: resolveCommit(context.cwd, sha) });
      const baseContext = own ? { ...context, loaded: own.loaded } : context;
      const base = await buildBase(context.cwd, context.loaded.root, sha, baseContext.loaded.config.build, (line) => context.output.err(line));
      const side = await openBaseSide(baseContext, plan, base);
      opened.push(side);
      return interruptible(side.backend);
    } catch (error) {
      if (isRatchetError(error) && error.code === 'ERR_RATCHET_INTERRUPTED') throw error;
      if (!context.output.quiet) context.output.err(`base ${sha.slice(0, 12)}: ${(error as Error).message}`);
      return null;
    }
  };
  return { baseAt, close: async () => void (await Promise.all(opened.map((side) => side.close()))) };
}

/**
 * The installed addon, copied into the base checkout: loaded from another path it is another
 * instance, with a registry of its own for the base's plugins (same names as the head's).
 */
function addonCopyIn(root: string): string {
  const installed = nativeAddonPath();
  if (!installed) throw new RatchetError('ERR_RATCHET_NATIVE_LOAD', 'the native addon is not built');
  const directory = join(root, '.ratchet-cache', 'addon');
  mkdirSync(directory, { recursive: true });
  for (const file of readdirSync(dirname(installed))) {
    if (file.endsWith('.node') || file.endsWith('.json')) copyFileSync(join(dirname(installed), file), join(directory, file));
  }
  return join(directory, basename(installed));
}

/** The base side's problem sources: its own addon when its build made one, its plugins and processes. */
export async function openBaseSide(context: CommandContext, plan: MeasurementPlan, base: BaseCheckout): Promise<ProblemSources> {
  const { backend, device } = plan.selected;
  const needsOwnRegistry = context.loaded.config.plugins.length > 0;
  const stale = base.addonPath ? staleBuild(base.addonPath, base.root) : null;
  if (stale) throw new RatchetError('ERR_RATCHET_STALE_BUILD', `the base (${base.sha.slice(0, 12)}): ${stale}`);
  const native = base.addonPath ? loadNativeFrom(base.addonPath) : needsOwnRegistry ? loadNativeFrom(addonCopyIn(base.root)) : plan.selected.native;
  const baseDevice = native.devices(backend)[0];
  if (!baseDevice || baseDevice.deviceKey !== device.deviceKey) {
    throw new RatchetError('ERR_RATCHET_NO_DEVICE', `the base (${base.sha.slice(0, 12)}) sees ${baseDevice?.deviceKey ?? 'no device'} on the ${backend} backend, not ${device.deviceKey}`);
  }
  return openSources(context, { backend, device, native, configRoot: base.configRoot });
}

/**
 * The tuning file as `bench`, `run` and `sota` may use it: each entry that pins a variant is
 * checked against the variants and code of this build (core's tuning-check.ts); a stale one is
 * left out, its default variant runs, and one line per reason says so.
 */
export async function readCheckedTuning(context: CommandContext, plan: MeasurementPlan): Promise<Tuning | null> {
  const tuning = await readTuning(context.loaded.config.paths.tuning);
  const checked = await checkTuning(tuning, plan.measure.device, plan.benchmarks, sourcesProbe(plan.sources, plan.measure));
  const onEvent = printEvents(context);
  for (const text of ignoredTuningNotes(checked.ignored)) onEvent({ kind: 'note', text });
  return checked.tuning;
}

/** `bench`: the suite measured with the variants of `tuning` (readCheckedTuning); the caller writes the RunResult. */
export async function measurePlan(plan: MeasurementPlan, context: CommandContext, tuning: Tuning | null, options: { seed?: number } = {}): Promise<RunResult> {
  const onEvent = printEvents(context);
  if (plan.selected.note) onEvent({ kind: 'note', text: plan.selected.note });
  const result = await measureRun({
    backend: plan.measure, benchmarks: plan.benchmarks, budget: plan.budget,
    tuning, git: gitInfo(context.cwd), onEvent, ...options,
  });
  context.output.progress(null);
  return result;
}
