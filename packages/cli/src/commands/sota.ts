import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertWritable,
  buildSotaTable,
  defaultPeers,
  renderSotaMarkdown,
  renderSotaSvg,
  runPeer,
  writeFileAtomic,
  type MeasureBudget,
  type PeerOutcome,
  type PeerRequest,
  type PeerSpec,
  type RunResult,
  type SotaTable,
} from '@ratchet/core';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { measureAndWrite, planMeasurement, type MeasureCommandOptions } from './measure.js';

export type SotaOptions = MeasureCommandOptions & PeerOptions;

const peerScript = resolve(dirname(fileURLToPath(import.meta.url)), '../../../peer-torch/torch_sdpa.py');

function choosePeers(options: PeerOptions & { peers: string[] }): PeerSpec[] {
  const timeoutMs = Number(options.peerTimeout) * 1e3;
  if (!(timeoutMs > 0)) throw new RatchetError('ERR_RATCHET_USAGE', `--peer-timeout: expected seconds > 0 but received '${options.peerTimeout}'`);
  const all = defaultPeers({ python: options.python, script: peerScript, timeoutMs });
  if (options.peers.length === 0) return all;
  return options.peers.map((name) => {
    const spec = all.find((peer) => peer.name === name);
    if (!spec) throw new RatchetError('ERR_RATCHET_USAGE', `unknown peer '${name}' (known: ${all.map((p) => p.name).join(', ')})`);
    return spec;
  });
}

function peerLine(outcome: PeerOutcome): string | null {
  if (outcome.status === 'unavailable') return `peer ${outcome.peer} unavailable: ${outcome.reason}`;
  if (outcome.status === 'failed') {
    const tail = outcome.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return `peer ${outcome.peer} failed: ${outcome.reason}${tail ? ` (stderr: ${tail})` : ''}`;
  }
  return null;
}

export interface PeerOptions {
  /** Peer names to run; empty or true: all of the shipped ones. */
  peers?: string[] | boolean;
  python: string;
  peerSamples: string;
  peerTimeout: string;
}

/** The seed of the shared input generator that our first check and every peer use. */
export const peerSeed = 1;

function sotaFiles(context: CommandContext) {
  const outDir = dirname(context.loaded.config.paths.report);
  return { markdown: join(outDir, 'sota.md'), json: join(outDir, 'sota.json'), svg: join(outDir, 'sota.svg') };
}

/** Checks the peer options and the outputs before any measuring; returns what to run. */
export async function preparePeers(options: PeerOptions, context: CommandContext): Promise<{ peers: PeerSpec[]; samples: number }> {
  const samples = Number(options.peerSamples);
  if (!Number.isInteger(samples) || samples < 3) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--peer-samples: expected an integer >= 3 but received '${options.peerSamples}'`);
  }
  const files = sotaFiles(context);
  await assertWritable([files.markdown, files.json, files.svg]);
  return { peers: choosePeers({ ...options, peers: Array.isArray(options.peers) ? options.peers : [] }), samples };
}

/** Runs the peers on the benchmarks just measured and writes the table (md, json) and chart (svg). */
export async function runPeersAndReport(
  result: RunResult,
  prepared: { peers: PeerSpec[]; samples: number },
  budget: MeasureBudget,
  context: CommandContext,
): Promise<{ markdown: string; table: SotaTable }> {
  const request: PeerRequest = {
    protocol: 1,
    benchmarks: result.measurements.map((m) => m.benchmark),
    timing: { warmup: budget.warmup, samples: prepared.samples, l2Flush: budget.l2Flush },
    seed: peerSeed,
  };
  const outcomes: PeerOutcome[] = [];
  for (const peer of prepared.peers) {
    context.output.progress(`peer ${peer.name} ...`);
    const outcome = await runPeer(peer, request);
    context.output.progress(null);
    outcomes.push(outcome);
    const line = peerLine(outcome);
    if (line) context.output.err(context.output.color.yellow(line));
  }
  const ourChecksums = Object.fromEntries(result.measurements.flatMap((m) => (m.correctness.checksum ? [[m.id, m.correctness.checksum]] : [])));
  const table = buildSotaTable(result, outcomes, ourChecksums);
  const files = sotaFiles(context);
  const markdown = renderSotaMarkdown(table);
  await writeFileAtomic(files.json, `${JSON.stringify(table, null, 2)}\n`);
  await writeFileAtomic(files.markdown, markdown);
  await writeFileAtomic(files.svg, await renderSotaSvg(table, { commit: result.git?.sha ?? null }));
  if (!context.output.quiet && !context.output.json) {
    context.output.out(`peers: ${[files.markdown, files.json, files.svg].map((f) => displayPath(f, context.cwd)).join(', ')}`);
  }
  return { markdown, table };
}

/**
 * `ratchet sota [ids...]`: our suite, then each peer on the same benchmarks in the same session;
 * one table with medians, TFLOP/s, our speed-up over each peer (95% CI) and the fraction of peak.
 */
export async function sotaCommand(ids: string[], options: SotaOptions, context: CommandContext): Promise<number> {
  const prepared = await preparePeers(options, context);
  const plan = planMeasurement(ids, options, context);
  await assertWritable([context.loaded.config.paths.results]);
  const result = await measureAndWrite(plan, context, { seed: peerSeed });
  const { markdown } = await runPeersAndReport(result, prepared, plan.budget, context);
  if (context.output.json) context.output.out(JSON.stringify(JSON.parse(readFileSync(sotaFiles(context).json, 'utf8')), null, 2));
  else if (!context.output.quiet) context.output.out(markdown.trimEnd());
  return result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
}
