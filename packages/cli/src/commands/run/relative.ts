import { dirname, join, resolve } from 'node:path';
import { runResultJson } from '@ratchet/files';
import { gateChanges, runRelativePipeline } from '@ratchet/core';
import { benchmarkId, type RemovedBenchmark } from '@ratchet/types';
import { gitInfo, resolveCommit } from '../../git.js';
import { buildBase, prebuiltBase, prebuiltSha } from '../../measuring/base-build.js';
import { openBaseSide } from '../../measuring/base-side.js';
import { printEvents } from '../../measuring/events.js';
import { gateSuite, readBaseGate } from '../../measuring/base-gate.js';
import { identicalCodeRule } from '../../measuring/identical-code.js';
import { shardStamp, stamped } from '../../measuring/shards.js';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { printComparison } from '../../output.js';
import { interruptible } from '../../signals.js';
import { checkOwnBuild } from '../../measuring/stale-build.js';
import { reportOptions, type HistoryOptions } from '../../run-history.js';
import { withWrites } from '../../writes.js';
import { withPlan, type MeasureCommandOptions } from '../../measuring/plan.js';

/**
 * `ratchet run --base <ref>`: HEAD and the base ref (checked out and built with the base's build
 * command), measured interleaved in one process on the same inputs, judged against each other
 * (core's relative pipeline) with the base's gate: its thresholds, budgets and suite, from its
 * ratchet.config.json (base-gate.ts), so a pull request cannot pass by editing its own; what the
 * head changes in them is reported first. The committed baseline is left alone (it stays the
 * record of the level reached); the four outputs land together or not at all.
 */
export async function relativeRunCommand(ids: string[], options: MeasureCommandOptions & HistoryOptions & { base?: string; baseBuild?: string; measureIdentical?: boolean }, context: CommandContext): Promise<number> {
  // A stale HEAD is refused before the base is even looked up (withPlan checks again, silently).
  checkOwnBuild(context, 'refuse');
  const baseDir = options.baseBuild ? resolve(context.cwd, options.baseBuild) : undefined;
  const baseSha = baseDir ? prebuiltSha(baseDir) : resolveCommit(context.cwd, options.base!);
  const gate = readBaseGate(context, { sha: baseSha, ...(baseDir ? { dir: baseDir } : {}) });
  const head = context.loaded.config;
  const judging = gate?.loaded.config ?? head;
  // The head's own sources, paths and build; the base's thresholds and budgets.
  const judged: CommandContext = { ...context, loaded: { ...context.loaded, config: { ...head, thresholds: judging.thresholds, budgets: judging.budgets } } };
  const baseContext: CommandContext = gate ? { ...context, loaded: gate.loaded } : context;
  let removed: RemovedBenchmark[] = [];
  const suiteFrom = gate
    ? (catalog: Parameters<typeof gateSuite>[0]['catalog'], backend: Parameters<typeof gateSuite>[0]['backend']) => {
        const chosen = gateSuite({ gate: judging.suites[backend], head: head.suites[backend], catalog, backend, files: { gate: gate.loaded.file ?? 'the base', head: context.loaded.file ?? 'the default suite' } });
        removed = chosen.removed;
        return chosen.suite;
      }
    : undefined;
  const { paths } = head;
  return withPlan(ids, options, judged, async (plan) => {
    const basePath = join(dirname(paths.results), 'base.json');
    return withWrites(context, [paths.results, basePath, paths.report, paths.comparison], null, async (writes) => {
      const build = baseContext.loaded.config.build;
      // --base-build: a base checkout built elsewhere (another CI job, another machine); else build the ref here.
      const base = baseDir
        ? prebuiltBase(context.cwd, context.loaded.root, baseDir, build)
        : await buildBase(context.cwd, context.loaded.root, options.base!, build, (line) => context.output.err(line));
      const baseRef = options.baseBuild ?? options.base!;
      const baseSide = await openBaseSide(baseContext, plan, base);
      // What runs identical code on both sides is not measured, unless asked or the builds cannot vouch for it (then said now: it costs time).
      const identical = identicalCodeRule(options, plan.selected.device, base, context.cwd);
      if (identical.measureAllBecause && !options.measureIdentical && !context.output.quiet) context.output.err(context.output.color.yellow(`note: ${identical.measureAllBecause}`));
      try {
        const onEvent = printEvents(context);
        // Trends and the dashboard link from the run history (issue 14); a relative run never moves the baseline.
        const report = await reportOptions({ deviceKey: plan.selected.device.deviceKey, ids: plan.benchmarks.map(benchmarkId) }, undefined, options, context);
        const changes = gate ? gateChanges({ judgedWith: gate.judgedWith, gate: judging, head, backend: plan.selected.backend, removed }) : undefined;
        const judgedRun = await runRelativePipeline({
          report,
          head: plan.measure, base: interruptible(baseSide.backend), baseInfo: { baseRef, baseSha: base.sha, ...(changes ? { gate: changes } : {}) },
          benchmarks: plan.benchmarks, budget: plan.budget, thresholds: judging.thresholds,
          git: gitInfo(context.cwd),
          identical,
          // A shard is judged in the family of the whole suite (core's shard.ts).
          ...(plan.shard ? { familySize: plan.shard.scope.familySize } : {}),
          onBenchmark: (id, index, total, again) =>
            context.output.progress(`[${index + 1}/${total}] ${id}${again ? ': inconclusive, measuring both sides again' : ` head vs ${baseRef}, interleaved`}`),
          onPair: (pair, index, total) =>
            context.output.finished(`[${index + 1}/${total}] ${pair.head.id}  head vs ${baseRef}: ${pair.head.samplesMs.length} + ${pair.base.samplesMs.length} samples`),
        });
        context.output.progress(null);
        const stamp = shardStamp(context, plan.unsharded, plan.shard, `commit:${base.sha}`);
        const { result: headRun, ...outcome } = stamped({ ...judgedRun, result: judgedRun.head }, stamp);
        if (outcome.remeasured.length > 0) onEvent({ kind: 'remeasure', ids: outcome.remeasured });
        await writes.write([
          { path: paths.results, text: runResultJson(headRun) },
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
  }, 'refuse', suiteFrom);
}
