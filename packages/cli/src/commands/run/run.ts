import { readBaseline } from '@ratchet/files';
import { runPipeline } from '@ratchet/core';
import { gitInfo } from '../../git.js';
import { benchmarkId } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { printComparison } from '../../output.js';
import { withWrites } from '../../writes.js';
import { planHistory, recordRun, reportOptions } from '../../run-history.js';
import { migrationNote } from '../../judging/digest-note.js';
import { checkedMoves, judgementOutputs, type JudgeOptions } from '../../judging/judgement.js';
import { baseBackendAt } from '../../measuring/base-side.js';
import { printEvents } from '../../measuring/events.js';
import { readCheckedTuning, withPlan, type MeasureCommandOptions } from '../../measuring/plan.js';
import { baselineAgainst, shardStamp, stamped } from '../../measuring/shards.js';
import { peerSeed, preparePeers, runPeersAndReport, sotaFiles, type PeerOptions } from '../../peers/peers.js';

/**
 * `ratchet run [ids...]`: the pipeline of @ratchet/core (measure, judge, re-measure, confirm,
 * ratchet), its outputs written and printed. Every input is read and every output path checked
 * before the first sample, so bad input costs no GPU time; the outputs (baseline and moves log
 * first) land together at the end or not at all, under the lock when the baseline may move.
 */
export async function runCommand(ids: string[], options: MeasureCommandOptions & JudgeOptions & Partial<PeerOptions>, context: CommandContext): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  return withPlan(ids, options, context, async (plan) => {
    const peers = options.peers ? await preparePeers(options as PeerOptions, context) : null;
    const outputs = [paths.results, paths.report, paths.comparison, ...(options.ratchet ? [paths.baseline, paths.moves] : []), ...(peers ? sotaFiles(context).all : [])];
    return withWrites(context, outputs, options.ratchet ? 'ratchet run' : null, async (writes) => {
      const baseline = await readBaseline(paths.baseline);
      const stamp = shardStamp(context, plan.unsharded, plan.shard, baselineAgainst(paths.baseline));
      const tuning = await readCheckedTuning(context, plan);
      // A damaged moves log is refused now, not after the measuring (it is never glued onto).
      const movesText = options.ratchet ? await checkedMoves(paths.moves) : '';
      // Run history (issue 14): checked here, appended at the end; on main, or where --history says.
      const history = await planHistory('run', options, context);
      const report = await reportOptions({ deviceKey: plan.selected.device.deviceKey, ids: plan.benchmarks.map(benchmarkId) }, undefined, options, context);
      const onEvent = printEvents(context);
      if (plan.selected.note) onEvent({ kind: 'note', text: plan.selected.note });
      const bases = baseBackendAt(context, plan);
      try {
        const outcome = stamped(await runPipeline({
          backend: plan.measure, benchmarks: plan.benchmarks, budget: plan.budget, thresholds, baseline, tuning,
          git: gitInfo(context.cwd), ratchet: options.ratchet, onEvent, baseAt: bases.baseAt, report,
          ...(peers ? { seed: peerSeed } : {}),
          ...(plan.shard ? { shard: plan.shard.scope } : {}),
        }), stamp);
        const sota = peers ? await runPeersAndReport(outcome.result, peers, plan, tuning, context) : null;
        const files = [...judgementOutputs(paths, outcome, { ratchet: options.ratchet, movesText, measured: outcome.result }), ...(sota?.files ?? [])];
        const migrated = migrationNote(baseline, files, paths.baseline, context);
        await writes.write(files);
        if (migrated && !context.output.quiet) context.output.err(migrated);
        await recordRun(history, outcome.result, outcome.comparison, sota?.table ?? null, context);
        const { output } = context;
        if (output.json) output.out(outcome.json.trimEnd());
        else printComparison(output, outcome.comparison, displayPath(paths.report, context.cwd), options.ratchet ? 'updated' : 'kept');
        const moved = outcome.next.events.length;
        if (!output.json && !output.quiet && options.ratchet && moved > 0) {
          output.out(`baseline: ${moved} entr${moved === 1 ? 'y' : 'ies'} moved forward in ${displayPath(paths.baseline, context.cwd)}`);
        }
        if (sota) sota.announce();
        return outcome.gate.passed ? exitCodes.ok : exitCodes.regression;
      } finally {
        await bases.close();
      }
    });
  });
}
