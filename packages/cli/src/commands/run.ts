import { assertWritable, judge, readBaseline, remeasureInconclusive, remeasureLooks, runResultJson, writeFileAtomic } from '@ratchet/core';
import type { CommandContext } from '../context.js';
import { judgeAndWrite, type JudgeOptions } from './judge.js';
import { measureAndWrite, planMeasurement, tunedVariantsFor, type MeasureCommandOptions } from './measure.js';
import { peerSeed, preparePeers, runPeersAndReport, type PeerOptions } from './sota.js';

/**
 * `ratchet run [ids...]`: bench + compare. Every input is read and every output path checked
 * before the first sample, so bad input costs no GPU time and leaves nothing half-written.
 */
export async function runCommand(ids: string[], options: MeasureCommandOptions & JudgeOptions & Partial<PeerOptions>, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const plan = planMeasurement(ids, options, context);
  const baseline = await readBaseline(paths.baseline);
  await assertWritable([paths.results, paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.history] : [])]);
  const peers = options.peers ? await preparePeers(options as PeerOptions, context) : null;
  let result = await measureAndWrite(plan, context, peers ? { seed: peerSeed } : {});
  // Inconclusive means "not enough evidence": gather more once, then judge for good. Two looks,
  // each at alpha / 2, so the second cannot raise the false-alarm rate.
  const first = judge(result, baseline, context.loaded.config.thresholds, { looks: remeasureLooks });
  if (first.comparison.counts.inconclusive > 0) {
    const tuned = await tunedVariantsFor(plan, context);
    const again = await remeasureInconclusive(result, first.comparison, plan.selected.measure, plan.budget, tuned.variantFor);
    if (!context.output.quiet) context.output.err(`re-measured ${again.remeasured.length} inconclusive benchmark(s) with twice the budget: ${again.remeasured.join(', ')}`);
    result = again.result;
    await writeFileAtomic(paths.results, runResultJson(result));
  }
  const exitCode = await judgeAndWrite(result, baseline, { ...options, looks: remeasureLooks }, context);
  if (peers) await runPeersAndReport(result, peers, plan.budget, context);
  return exitCode;
}
