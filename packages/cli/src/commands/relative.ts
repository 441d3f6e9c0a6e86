import { dirname, join, resolve } from 'node:path';
import { gitInfo, runRelativePipeline, runResultJson, type MeasureBackend } from '@ratchet/core';
import { loadNativeFrom } from '@ratchet/native';
import { RatchetError } from '@ratchet/types';
import { buildBase, prebuiltBase } from '../base-build.js';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';
import { interruptible } from '../signals.js';
import { withWrites } from '../writes.js';
import { planMeasurement, printEvents, type MeasureCommandOptions } from './measure.js';

/**
 * `ratchet run --base <ref>`: HEAD and the base ref built into two addons, measured interleaved
 * in one process on the same inputs, judged against each other (core's relative pipeline). The
 * committed baseline is left alone (it stays the record of the level reached); the four outputs
 * land together or not at all.
 */
export async function relativeRunCommand(ids: string[], options: MeasureCommandOptions & { base?: string; baseBuild?: string }, context: CommandContext): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  const plan = planMeasurement(ids, options, context);
  const basePath = join(dirname(paths.results), 'base.json');
  return withWrites(context, [paths.results, basePath, paths.report, paths.comparison], null, async (writes) => {
    // --base-build: a base checkout built elsewhere (another CI job, another machine); else build the ref here.
    const base = options.baseBuild ? prebuiltBase(resolve(context.cwd, options.baseBuild)) : await buildBase(context.cwd, options.base!, (line) => context.output.err(line));
    const baseRef = options.baseBuild ?? options.base!;
    const baseAddon = loadNativeFrom(base.addonPath);
    const baseDevice = baseAddon.devices(plan.selected.backend)[0];
    const head = interruptible(plan.selected.measure);
    if (!baseDevice || baseDevice.deviceKey !== head.device.deviceKey) {
      throw new RatchetError('ERR_RATCHET_NO_DEVICE', `--base ${baseRef}: its addon sees ${baseDevice?.deviceKey ?? 'no device'} on the ${plan.selected.backend} backend, not ${head.device.deviceKey}`);
    }
    const baseBackend: MeasureBackend = interruptible({ device: baseDevice, open: (benchmark, opts) => baseAddon.open(plan.selected.backend, benchmark, opts ?? {}) });
    const onEvent = printEvents(context);
    const outcome = await runRelativePipeline({
      head, base: baseBackend, baseInfo: { baseRef, baseSha: base.sha }, benchmarks: plan.benchmarks, budget: plan.budget, thresholds,
      git: gitInfo(context.cwd),
      onBenchmark: (id, index, total, again) =>
        context.output.progress(`[${index + 1}/${total}] ${id}${again ? ': inconclusive, measuring both sides again' : ` head vs ${baseRef}, interleaved`}`),
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
    else printComparison(context.output, outcome.comparison, displayPath(paths.report, context.cwd));
    return outcome.gate.passed ? exitCodes.ok : exitCodes.regression;
  });
}
