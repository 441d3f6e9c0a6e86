import { assertWritable, runResultJson } from '@ratchet/core';
import type { CommandContext } from '../context.js';
import { displayPath } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { printRun } from '../output.js';
import { measureAndWrite, planMeasurement, type MeasureCommandOptions } from './measure.js';
import { peerSeed, preparePeers, runPeersAndReport, type PeerOptions } from './sota.js';
import { planHistory, recordRun, type HistoryOptions } from '../run-history.js';

/** `ratchet bench [ids...]`: measure and write results, judge nothing. */
export async function benchCommand(ids: string[], options: MeasureCommandOptions & Partial<PeerOptions> & HistoryOptions, context: CommandContext): Promise<number> {
  const plan = planMeasurement(ids, options, context);
  await assertWritable([context.loaded.config.paths.results]);
  const peers = options.peers ? await preparePeers(options as PeerOptions, context) : null;
  // Run history (issue 14): only with --history.
  const history = await planHistory('bench', options, context);
  const result = await measureAndWrite(plan, context, peers ? { seed: peerSeed } : {});
  const sota = peers ? (await runPeersAndReport(result, peers, plan.budget, context)).table : null;
  await recordRun(history, result, sota, context);
  if (context.output.json) context.output.out(runResultJson(result).trimEnd());
  else {
    printRun(context.output, result);
    if (!context.output.quiet) context.output.out(`results: ${displayPath(context.loaded.config.paths.results, context.cwd)}`);
  }
  return result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
}
