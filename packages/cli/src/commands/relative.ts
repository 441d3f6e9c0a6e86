import { dirname, join, resolve } from 'node:path';
import { gitInfo, runRelativePipeline, runResultJson } from '@ratchet/core';
import { benchmarkId } from '@ratchet/types';
import { buildBase, prebuiltBase } from '../base-build.js';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';
import { interruptible } from '../signals.js';
import { reportOptions, type HistoryOptions } from '../run-history.js';
import { withWrites } from '../writes.js';
import { openBaseSide, printEvents, withPlan, type MeasureCommandOptions } from './measure.js';

/**
 * `ratchet run --base <ref>`: HEAD and the base ref (checked out and built with the config's build
 * command), measured interleaved in one process on the same inputs, judged against each other
 * (core's relative pipeline). The committed baseline is left alone (it stays the record of the
 * level reached); the four outputs land together or not at all.
 */
export async function relativeRunCommand(ids: string[], options: MeasureCommandOptions & HistoryOptions & { base?: string; baseBuild?: string }, context: CommandContext): Promise<number> {
  const { paths, thresholds, build } = context.loaded.config;
  return withPlan(ids, options, context, async (plan) => {
    const basePath = join(dirname(paths.results), 'base.json');
    return withWrites(context, [paths.results, basePath, paths.report, paths.comparison], null, async (writes) => {
      // --base-build: a base checkout built elsewhere (another CI job, another machine); else build the ref here.
      const base = options.baseBuild
        ? prebuiltBase(context.cwd, context.loaded.root, resolve(context.cwd, options.baseBuild), build)
        : await buildBase(context.cwd, context.loaded.root, options.base!, build, (line) => context.output.err(line));
      const baseRef = options.baseBuild ?? options.base!;
      const baseSide = await openBaseSide(context, plan, base);
      try {
        const onEvent = printEvents(context);
        // Trends and the dashboard link from the run history (issue 14); a relative run never moves the baseline.
        const report = await reportOptions({ deviceKey: plan.selected.device.deviceKey, ids: plan.benchmarks.map(benchmarkId) }, undefined, options, context);
        const outcome = await runRelativePipeline({
          report,
          head: plan.measure, base: interruptible(baseSide.backend), baseInfo: { baseRef, baseSha: base.sha }, benchmarks: plan.benchmarks, budget: plan.budget, thresholds,
          git: gitInfo(context.cwd),
          onBenchmark: (id, index, total, again) =>
            context.output.progress(`[${index + 1}/${total}] ${id}${again ? ': inconclusive, measuring both sides again' : ` head vs ${baseRef}, interleaved`}`),
          onPair: (pair, index, total) =>
            context.output.finished(`[${index + 1}/${total}] ${pair.head.id}  head vs ${baseRef}: ${pair.head.samplesMs.length} + ${pair.base.samplesMs.length} samples`),
        });
        context.output.progress(null);
        if (outcome.remeasured.length > 0) onEvent({ kind: 'remeasure', ids: outcome.remeasured });
        await writes.write([
          { path: paths.results, text: runResultJson(outcome.head) },
          { path: basePath, text: runResultJson(outcome.base) },
          { path: paths.comparison, text: outcome.json },
          { path: paths.report, text: outcome.markdown },
        ]);
        if (context.output.json) context.output.out(outcome.json.trimEnd());
        else printComparison(context.output, outcome.comparison, displayPath(paths.report, context.cwd), 'kept');
        return outcome.gate.passed ? exitCodes.ok : exitCodes.regression;
      } finally {
        await baseSide.close();
      }
    });
  }, 'refuse');
}
