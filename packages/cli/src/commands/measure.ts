import { bench, checkSuite, gitInfo, problemCatalog, readTuning, runResultJson, selectBenchmarks, tunedVariants, writeFileAtomic, type RunResult } from '@ratchet/core';
import type { Benchmark } from '@ratchet/types';
import { selectBackend, type BackendChoice } from '../backend.js';
import type { CommandContext } from '../context.js';

export interface MeasureCommandOptions {
  backend: BackendChoice;
}

/** What `bench` and `run` share: pick the backend and suite, measure, write the RunResult. */
export function planMeasurement(ids: string[], options: MeasureCommandOptions, context: CommandContext) {
  const selected = selectBackend(options.backend);
  const catalog = problemCatalog(selected.problems);
  // Checked against the problems that run them: names, values, and the order ids are built in.
  const where = { file: context.loaded.file ?? 'the default suite', field: `suites.${selected.backend}` };
  const suite: Benchmark[] = checkSuite(context.loaded.config.suites[selected.backend], catalog, selected.backend, where);
  const benchmarks = selectBenchmarks(suite, ids);
  return { selected, benchmarks, budget: context.loaded.config.budgets[selected.backend] };
}

/** The autotuned variant per benchmark, when .ratchet/tuning.json has this device. */
export async function tunedVariantsFor(plan: ReturnType<typeof planMeasurement>, context: CommandContext) {
  return tunedVariants(await readTuning(context.loaded.config.paths.tuning), plan.selected.measure.device);
}

export async function measureAndWrite(plan: ReturnType<typeof planMeasurement>, context: CommandContext, options: { seed?: number } = {}): Promise<RunResult> {
  const { output } = context;
  if (plan.selected.note && !output.quiet) output.err(output.color.yellow(plan.selected.note));
  const tuned = await tunedVariantsFor(plan, context);
  if (tuned.note && !output.quiet) output.err(output.color.yellow(tuned.note));
  const result = await bench({
    variantFor: tuned.variantFor,
    backend: plan.selected.measure,
    benchmarks: plan.benchmarks,
    budget: plan.budget,
    git: gitInfo(context.cwd),
    ...options,
    onProgress: (p) =>
      output.progress(`[${p.index + 1}/${p.total}] ${p.id}  ${p.samples} samples  ${(p.elapsedMs / 1e3).toFixed(1)} s`),
  });
  output.progress(null);
  await writeFileAtomic(context.loaded.config.paths.results, runResultJson(result));
  return result;
}
