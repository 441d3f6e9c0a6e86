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
  type PeerOutcome,
  type PeerRequest,
  type PeerSpec,
} from '@ratchet/core';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { measureAndWrite, planMeasurement, type MeasureCommandOptions } from './measure.js';

export interface SotaOptions extends MeasureCommandOptions {
  /** Peer names to run (default: all of the shipped ones). */
  peers?: string[];
  python: string;
  /** Samples each peer takes per benchmark. */
  peerSamples: string;
  peerTimeout: string;
}

const peerScript = resolve(dirname(fileURLToPath(import.meta.url)), '../../../peer-torch/torch_sdpa.py');

function choosePeers(options: SotaOptions): PeerSpec[] {
  const timeoutMs = Number(options.peerTimeout) * 1e3;
  if (!(timeoutMs > 0)) throw new RatchetError('ERR_RATCHET_USAGE', `--peer-timeout: expected seconds > 0 but received '${options.peerTimeout}'`);
  const all = defaultPeers({ python: options.python, script: peerScript, timeoutMs });
  if (!options.peers || options.peers.length === 0) return all;
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

/**
 * `ratchet sota [ids...]`: our suite, then each peer on the same benchmarks in the same session;
 * one table with medians, TFLOP/s, our speed-up over each peer (95% CI) and the fraction of peak.
 */
export async function sotaCommand(ids: string[], options: SotaOptions, context: CommandContext): Promise<number> {
  const peerSamples = Number(options.peerSamples);
  if (!Number.isInteger(peerSamples) || peerSamples < 3) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--peer-samples: expected an integer >= 3 but received '${options.peerSamples}'`);
  }
  const peers = choosePeers(options);
  const plan = planMeasurement(ids, options, context);
  const outDir = dirname(context.loaded.config.paths.report);
  const files = { markdown: join(outDir, 'sota.md'), json: join(outDir, 'sota.json'), svg: join(outDir, 'sota.svg') };
  await assertWritable([context.loaded.config.paths.results, files.markdown, files.json, files.svg]);

  const seed = 1;
  const result = await measureAndWrite(plan, context, { seed });
  const request: PeerRequest = {
    protocol: 1,
    benchmarks: plan.benchmarks,
    timing: { warmup: plan.budget.warmup, samples: peerSamples, l2Flush: plan.budget.l2Flush },
    seed,
  };
  const outcomes: PeerOutcome[] = [];
  for (const peer of peers) {
    context.output.progress(`peer ${peer.name} ...`);
    const outcome = await runPeer(peer, request);
    context.output.progress(null);
    outcomes.push(outcome);
    const line = peerLine(outcome);
    if (line) context.output.err(context.output.color.yellow(line));
  }
  const ourChecksums = Object.fromEntries(result.measurements.flatMap((m) => (m.correctness.checksum ? [[m.id, m.correctness.checksum]] : [])));
  const table = buildSotaTable(result, outcomes, ourChecksums);
  const markdown = renderSotaMarkdown(table);
  await writeFileAtomic(files.json, `${JSON.stringify(table, null, 2)}\n`);
  await writeFileAtomic(files.markdown, markdown);
  await writeFileAtomic(files.svg, renderSotaSvg(table));
  if (context.output.json) context.output.out(JSON.stringify(table, null, 2));
  else if (!context.output.quiet) {
    context.output.out(markdown.trimEnd());
    context.output.out(`\nwritten: ${[files.markdown, files.json, files.svg].map((f) => displayPath(f, context.cwd)).join(', ')}`);
  }
  return result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
}
