import type { CommandContext } from '../../context.js';
import { displayPath } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { printRun } from '../../output.js';
import { planHistory, recordRun, type HistoryOptions } from '../../run-history.js';
import { withWrites } from '../../writes.js';
import { measurePlan, readCheckedTuning, withPlan, type MeasureCommandOptions } from '../../measuring/plan.js';
import { shardStamp } from '../../measuring/shards.js';
import { peerSeed, preparePeers, runPeersAndReport, sotaFiles, type PeerOptions } from '../../peers/peers.js';
import { runResultJson } from '@ratchet/files';

/** `ratchet bench [ids...]`: measure and write results, judge nothing. */
export async function benchCommand(ids: string[], options: MeasureCommandOptions & Partial<PeerOptions> & HistoryOptions, context: CommandContext): Promise<number> {
  const { results } = context.loaded.config.paths;
  return withPlan(ids, options, context, async (plan) => {
    const peers = options.peers ? await preparePeers(options as PeerOptions, context) : null;
    return withWrites(context, [results, ...(peers ? sotaFiles(context).all : [])], null, async (writes) => {
      // Run history (issue 14): only with --history.
      const history = await planHistory('bench', options, context);
      const tuning = await readCheckedTuning(context, plan);
      // A shard given nothing (more shards than benchmarks) writes an empty run: the merge expects every shard's.
      const measured = await measurePlan(plan, context, tuning, peers ? { seed: peerSeed } : {});
      const result = { ...measured, shard: shardStamp(context, plan.unsharded, plan.shard, 'none') };
      const sota = peers ? await runPeersAndReport(result, peers, plan, tuning, context) : null;
      await writes.write([{ path: results, text: runResultJson(result) }, ...(sota?.files ?? [])]);
      await recordRun(history, result, null, sota?.table ?? null, context);
      if (context.output.json) context.output.out(runResultJson(result).trimEnd());
      else {
        printRun(context.output, result);
        if (!context.output.quiet) context.output.out(`results: ${displayPath(results, context.cwd)}`);
      }
      sota?.announce();
      return result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
    });
  });
}
