import { checkSuite, gitInfo, measureRun, problemCatalog, readTuning, selectBenchmarks, type MeasureBackend, type PipelineEvent, type RunResult } from '@ratchet/core';
import { loadNativeFrom } from '@ratchet/native';
import { isRatchetError, type Backend, type Benchmark } from '@ratchet/types';
import { buildBase } from '../base-build.js';
import { selectBackend, type BackendChoice } from '../backend.js';
import type { CommandContext } from '../context.js';
import { formatMs } from '../output.js';
import { interruptible } from '../signals.js';

export interface MeasureCommandOptions {
  backend: BackendChoice;
}

/** What `bench`, `run` and the rest share: the backend, the suite checked against its problems, the budget. */
export function planMeasurement(ids: string[], options: MeasureCommandOptions, context: CommandContext) {
  const selected = selectBackend(options.backend);
  const catalog = problemCatalog(selected.problems);
  // Checked against the problems that run them: names, values, and the order ids are built in.
  const where = { file: context.loaded.file ?? 'the default suite', field: `suites.${selected.backend}` };
  const suite: Benchmark[] = checkSuite(context.loaded.config.suites[selected.backend], catalog, selected.backend, where);
  const benchmarks = selectBenchmarks(suite, ids);
  return { selected, benchmarks, budget: context.loaded.config.budgets[selected.backend] };
}

export type MeasurementPlan = ReturnType<typeof planMeasurement>;

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
        ? `confirming ${event.ids.length} cross-run regression(s) against ${event.baseSha.slice(0, 12)} (the baseline's commit), interleaved: ${event.ids.join(', ')}`
        : `cannot build ${event.baseSha.slice(0, 12)} (the baseline's commit): ${event.ids.join(', ')} stay unconfirmed (inconclusive)`);
    } else if (event.kind === 'measured' && !output.isTTY) {
      const m = event.measurement;
      const figure = m.summary ? `${formatMs(m.summary.median)}, n=${m.summary.n}` : `invalid: ${m.correctness.detail ?? 'failed its check'}`;
      output.err(`[${event.index + 1}/${event.total}] ${m.id}  ${figure}`);
    }
  };
}

/**
 * The code of commit `sha` built beside the checkout (relative mode's worktree build), on the same
 * backend and device; null, with a line saying why, when it cannot be had (no git, unknown
 * commit, failed build, another device).
 */
export function baseBackendAt(context: CommandContext, backend: Backend, head: MeasureBackend): (sha: string) => Promise<MeasureBackend | null> {
  return async (sha) => {
    try {
      const built = await buildBase(context.cwd, sha, (line) => context.output.err(line));
      const addon = loadNativeFrom(built.addonPath);
      const device = addon.devices(backend)[0];
      if (!device || device.deviceKey !== head.device.deviceKey) return null;
      return interruptible({ device, open: (benchmark, options) => addon.open(backend, benchmark, options ?? {}) });
    } catch (error) {
      if (isRatchetError(error) && error.code === 'ERR_RATCHET_INTERRUPTED') throw error;
      if (!context.output.quiet) context.output.err(`base ${sha.slice(0, 12)}: ${(error as Error).message}`);
      return null;
    }
  };
}

/** `bench` and `sota`: the suite measured with its tuned variants (the caller writes the RunResult). */
export async function measurePlan(plan: MeasurementPlan, context: CommandContext, options: { seed?: number } = {}): Promise<RunResult> {
  const onEvent = printEvents(context);
  if (plan.selected.note) onEvent({ kind: 'note', text: plan.selected.note });
  const result = await measureRun({
    backend: interruptible(plan.selected.measure), benchmarks: plan.benchmarks, budget: plan.budget,
    tuning: await readTuning(context.loaded.config.paths.tuning), git: gitInfo(context.cwd), onEvent, ...options,
  });
  context.output.progress(null);
  return result;
}
