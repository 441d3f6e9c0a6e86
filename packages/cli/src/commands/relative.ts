import { dirname, join, resolve } from 'node:path';
import {
  assertWritable,
  baselineFromRun,
  gitInfo,
  judge,
  longerBudget,
  measureInterleaved,
  remeasureLooks,
  renderJson,
  renderMarkdown,
  runResultJson,
  sameSessionThresholds,
  timingMethod,
  withMoreSamples,
  withRelativeInfo,
  writeFileAtomic,
  type MeasureBackend,
} from '@ratchet/core';
import { loadNativeFrom } from '@ratchet/native';
import { RatchetError, runResultSchemaVersion, type RunResult } from '@ratchet/types';
import { buildBase, prebuiltBase } from '../base-build.js';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';
import { planMeasurement, type MeasureCommandOptions } from './measure.js';

/**
 * `ratchet run --base <ref>`: HEAD and the base ref built into two addons, measured interleaved
 * in one process on the same inputs, judged against each other. The committed baseline is left
 * alone (it stays the record of the level reached).
 */
export async function relativeRunCommand(ids: string[], options: MeasureCommandOptions & { base?: string; baseBuild?: string }, context: CommandContext): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  const plan = planMeasurement(ids, options, context);
  const basePath = join(dirname(paths.results), 'base.json');
  await assertWritable([paths.results, basePath, paths.report, paths.comparison]);
  // --base-build: a base checkout built elsewhere (another CI job, another machine); else build the ref here.
  const base = options.baseBuild ? prebuiltBase(resolve(context.cwd, options.baseBuild)) : buildBase(context.cwd, options.base!, (line) => context.output.err(line));
  const baseRef = options.baseBuild ?? options.base!;
  const baseAddon = loadNativeFrom(base.addonPath);
  const baseDevice = baseAddon.devices(plan.selected.backend)[0];
  const headDevice = plan.selected.measure.device;
  if (!baseDevice || baseDevice.deviceKey !== headDevice.deviceKey) {
    throw new RatchetError('ERR_RATCHET_NO_DEVICE', `--base ${baseRef}: its addon sees ${baseDevice?.deviceKey ?? 'no device'} on the ${plan.selected.backend} backend, not ${headDevice.deviceKey}`);
  }
  const baseBackend: MeasureBackend = { device: baseDevice, open: (benchmark, opts) => baseAddon.open(plan.selected.backend, benchmark, opts ?? {}) };

  const createdAt = new Date().toISOString();
  let pairs: Awaited<ReturnType<typeof measureInterleaved>>[] = [];
  for (const [index, benchmark] of plan.benchmarks.entries()) {
    context.output.progress(`[${index + 1}/${plan.benchmarks.length}] ${benchmark.kernel} head vs ${baseRef}, interleaved`);
    pairs.push(await measureInterleaved(plan.selected.measure, baseBackend, benchmark, { budget: plan.budget, seed: 1 }));
  }
  const common = { schemaVersion: runResultSchemaVersion as typeof runResultSchemaVersion, createdAt, device: headDevice, timing: timingMethod(plan.selected.measure, plan.budget) };
  const headGit = gitInfo(context.cwd);
  const results = (): { head: RunResult; base: RunResult } => ({
    head: { ...common, git: headGit, measurements: pairs.map((p) => p.head) },
    base: { ...common, git: { sha: base.sha, branch: null, dirty: false }, measurements: pairs.map((p) => p.base) },
  });
  // Judged at the same-session threshold: interleaving leaves far less noise than across runs.
  const judged = () => {
    const { head, base: baseResult } = results();
    // Two looks (the bounded re-measure below), each at alpha / 2.
    return withRelativeInfo(judge(head, baselineFromRun(baseResult), sameSessionThresholds(thresholds), { looks: remeasureLooks }).comparison, { baseRef, baseSha: base.sha });
  };
  let comparison = judged();
  // One bounded re-measure of what the data could not decide: both sides again, interleaved, with
  // twice the budget, their samples added to the first ones.
  const inconclusive = new Set(comparison.results.filter((r) => r.verdict === 'inconclusive').map((r) => r.id));
  if (inconclusive.size > 0) {
    const longer = longerBudget(plan.budget);
    const remeasured: typeof pairs = [];
    for (const [index, pair] of pairs.entries()) {
      if (!inconclusive.has(pair.head.id)) {
        remeasured.push(pair);
        continue;
      }
      context.output.progress(`[${index + 1}/${plan.benchmarks.length}] ${pair.head.id}: inconclusive, measuring both sides again`);
      const again = await measureInterleaved(plan.selected.measure, baseBackend, plan.benchmarks[index]!, { budget: longer, seed: 1 });
      remeasured.push({ head: withMoreSamples(pair.head, again.head, headDevice), base: withMoreSamples(pair.base, again.base, headDevice) });
    }
    pairs = remeasured;
    comparison = judged();
  }
  context.output.progress(null);
  await writeFileAtomic(paths.results, runResultJson(results().head));
  await writeFileAtomic(basePath, runResultJson(results().base));
  await writeFileAtomic(paths.comparison, renderJson(comparison));
  await writeFileAtomic(paths.report, renderMarkdown(comparison));
  if (context.output.json) context.output.out(renderJson(comparison).trimEnd());
  else printComparison(context.output, comparison, displayPath(paths.report, context.cwd));
  const { regression, invalid } = comparison.counts;
  return regression + invalid > 0 ? exitCodes.regression : exitCodes.ok;
}
