import { assertWritable, gitInfo, readBaseline, readTuning, runPipeline, runResultJson, writeFileAtomic, writeJudgement } from '@ratchet/core';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';
import type { JudgeOptions } from './judge.js';
import { baseBackendAt, printEvents, withPlan, type MeasureCommandOptions } from './measure.js';
import { peerSeed, preparePeers, runPeersAndReport, type PeerOptions } from './sota.js';

/**
 * `ratchet run [ids...]`: the pipeline of @ratchet/core (measure, judge, re-measure, confirm,
 * ratchet), its outputs written and printed. Every input is read and every output path checked
 * before the first sample, so bad input costs no GPU time and leaves nothing half-written.
 */
export async function runCommand(ids: string[], options: MeasureCommandOptions & JudgeOptions & Partial<PeerOptions>, context: CommandContext): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  return withPlan(ids, options, context, async (plan) => {
    const baseline = await readBaseline(paths.baseline);
    const tuning = await readTuning(paths.tuning);
    await assertWritable([paths.results, paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.history] : [])]);
    const peers = options.peers ? await preparePeers(options as PeerOptions, context) : null;
    const onEvent = printEvents(context);
    if (plan.selected.note) onEvent({ kind: 'note', text: plan.selected.note });
    const bases = baseBackendAt(context, plan);
    try {
      const outcome = await runPipeline({
        backend: plan.measure, benchmarks: plan.benchmarks, budget: plan.budget, thresholds, baseline, tuning,
        git: gitInfo(context.cwd), ratchet: options.ratchet, onEvent, baseAt: bases.baseAt,
        ...(peers ? { seed: peerSeed } : {}),
      });
      await writeFileAtomic(paths.results, runResultJson(outcome.result));
      await writeJudgement(paths, outcome, options);
      const { output } = context;
      if (output.json) output.out(outcome.json.trimEnd());
      else printComparison(output, outcome.comparison, displayPath(paths.report, context.cwd));
      const moved = outcome.next.events.length;
      if (!output.json && !output.quiet && options.ratchet && moved > 0) {
        output.out(`baseline: ${moved} entr${moved === 1 ? 'y' : 'ies'} moved forward in ${displayPath(paths.baseline, context.cwd)}`);
      }
      if (peers) await runPeersAndReport(outcome.result, peers, plan.budget, context);
      return outcome.gate.passed ? exitCodes.ok : exitCodes.regression;
    } finally {
      await bases.close();
    }
  });
}
