import { bench, gitInfo, readTuning, runResultJson, selectBenchmarks, tunedVariants, writeFileAtomic, type RunResult } from '@ratchet/core';
import type { Benchmark } from '@ratchet/types';
import { selectBackend, type BackendChoice } from '../backend.js';
import type { CommandContext } from '../context.js';
import { suiteProgress } from '../output.js';

export interface MeasureCommandOptions {
  backend: BackendChoice;
}

/** What `bench` and `run` share: pick the backend and suite, measure, write the RunResult. */
export function planMeasurement(ids: string[], options: MeasureCommandOptions, context: CommandContext) {
  const selected = selectBackend(options.backend);
  const suite: Benchmark[] = context.loaded.config.suites[selected.backend];
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
  const progress = suiteProgress(output);
  const result = bench({
    variantFor: tuned.variantFor,
    backend: plan.selected.measure,
    benchmarks: plan.benchmarks,
    budget: plan.budget,
    git: gitInfo(context.cwd),
    ...options,
    onProgress: progress.update,
  });
  progress.end();
  await writeFileAtomic(context.loaded.config.paths.results, runResultJson(result));
  return result;
}
