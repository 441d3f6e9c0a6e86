import { assertWritable, readBaseline } from '@ratchet/core';
import type { CommandContext } from '../context.js';
import { judgeAndWrite, type JudgeOptions } from './judge.js';
import { measureAndWrite, planMeasurement, type MeasureCommandOptions } from './measure.js';
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
  const result = await measureAndWrite(plan, context, peers ? { seed: peerSeed } : {});
  const exitCode = await judgeAndWrite(result, baseline, options, context);
  if (peers) await runPeersAndReport(result, peers, plan.budget, context);
  return exitCode;
}
