import { runResultJson } from '@ratchet/files';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { printEvents } from '../../measuring/events.js';
import { readCheckedTuning, withPlan, type MeasureCommandOptions } from '../../measuring/plan.js';
import { interleavedPass, peerReport, preparePeers, sotaFiles, type PeerOptions } from '../../peers/peers.js';
import { withWrites } from '../../writes.js';

export type SotaOptions = MeasureCommandOptions & PeerOptions;

/**
 * `ratchet sota [ids...]`: our suite and each peer, measured interleaved benchmark by benchmark
 * in the same session; one table with medians, TFLOP/s, our speed-up over each peer (95% CI) and
 * the fraction of peak. Our figures of that pass are also written as the run's results.
 */
export async function sotaCommand(ids: string[], options: SotaOptions, context: CommandContext): Promise<number> {
  const prepared = await preparePeers(options, context);
  return withPlan(ids, options, context, async (plan) => {
    const { results } = context.loaded.config.paths;
    return withWrites(context, [results, ...sotaFiles(context).all], null, async (writes) => {
      if (plan.selected.note) printEvents(context)({ kind: 'note', text: plan.selected.note });
      const pass = await interleavedPass(plan, prepared, await readCheckedTuning(context, plan), context);
      const report = await peerReport(pass.table, pass.result.git?.sha ?? null, context);
      // sota keeps our measurements where bench would: say so, since it replaces the last run's results.
      if (!context.output.quiet) context.output.err(`results: ${displayPath(results, context.cwd)} overwritten with this run's measurements of our suite`);
      await writes.write([{ path: results, text: runResultJson(pass.result) }, ...report.files]);
      if (context.output.json) context.output.out(report.json.trimEnd());
      else if (!context.output.quiet) context.output.out(report.markdown.trimEnd());
      return pass.result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
    });
  });
}
