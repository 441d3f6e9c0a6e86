import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  buildSotaTable,
  defaultPeers,
  renderSotaMarkdown,
  renderSotaSvg,
  runPeer,
  runResultJson,
  type MeasureBudget,
  type OutputFile,
  type PeerOutcome,
  type PeerRequest,
  type PeerSpec,
  type RunResult,
  type SotaTable,
} from '@ratchet/core';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { throwIfInterrupted } from '../signals.js';
import { withWrites } from '../writes.js';
import { measurePlan, withPlan, type MeasureCommandOptions } from './measure.js';

export type SotaOptions = MeasureCommandOptions & PeerOptions;

// The shipped PyTorch peer, wherever the package manager put it (a dependency of this package).
const peerScript = createRequire(import.meta.url).resolve('@ratchet/peer-torch/torch_sdpa.py');

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

/** Where the peers' table (md, json) and chart (svg) go: beside the report. */
export function sotaFiles(context: CommandContext) {
  const outDir = dirname(context.loaded.config.paths.report);
  const files = { markdown: join(outDir, 'sota.md'), json: join(outDir, 'sota.json'), svg: join(outDir, 'sota.svg') };
  return { ...files, all: [files.markdown, files.json, files.svg] };
}

/** Checks the peer options before any measuring (the outputs are checked with the command's); returns what to run. */
export async function preparePeers(options: PeerOptions, _context: CommandContext): Promise<{ peers: PeerSpec[]; samples: number }> {
  const samples = Number(options.peerSamples);
  if (!Number.isInteger(samples) || samples < 3) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--peer-samples: expected an integer >= 3 but received '${options.peerSamples}'`);
  }
  return { peers: choosePeers({ ...options, peers: Array.isArray(options.peers) ? options.peers : [] }), samples };
}

/** The peers' outcome as files to write with the command's other outputs, and the line that names them. */
export interface PeerReport {
  files: OutputFile[];
  markdown: string;
  json: string;
  /** Prints where the files went (after they landed). */
  announce(): void;
  /** The table itself (the run history keeps the peers' figures). */
  table: SotaTable;
}

/** Runs the peers on the benchmarks just measured; the table (md, json) and chart (svg) come back to be written. */
export async function runPeersAndReport(result: RunResult, prepared: { peers: PeerSpec[]; samples: number }, budget: MeasureBudget, context: CommandContext): Promise<PeerReport> {
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
    // An interrupt stopped the peer: its "failure" is ours, not a row of the table.
    throwIfInterrupted();
    outcomes.push(outcome);
    const line = peerLine(outcome);
    if (line) context.output.err(context.output.color.yellow(line));
    else context.output.finished(`peer ${peer.name}: measured ${outcome.status === 'ok' ? outcome.response.results.length : 0} benchmark(s)`);
  }
  const ourChecksums = Object.fromEntries(result.measurements.flatMap((m) => (m.correctness.checksum ? [[m.id, m.correctness.checksum]] : [])));
  const table = buildSotaTable(result, outcomes, ourChecksums);
  const files = sotaFiles(context);
  const markdown = renderSotaMarkdown(table);
  const json = `${JSON.stringify(table, null, 2)}\n`;
  return {
    files: [{ path: files.json, text: json }, { path: files.markdown, text: markdown }, { path: files.svg, text: await renderSotaSvg(table, { commit: result.git?.sha ?? null }) }],
    table,
    markdown,
    json,
    announce: () => {
      if (!context.output.quiet && !context.output.json) context.output.out(`peers: ${files.all.map((f) => displayPath(f, context.cwd)).join(', ')}`);
    },
  };
}

/**
 * `ratchet sota [ids...]`: our suite, then each peer on the same benchmarks in the same session;
 * one table with medians, TFLOP/s, our speed-up over each peer (95% CI) and the fraction of peak.
 */
export async function sotaCommand(ids: string[], options: SotaOptions, context: CommandContext): Promise<number> {
  const prepared = await preparePeers(options, context);
  return withPlan(ids, options, context, async (plan) => {
    const { results } = context.loaded.config.paths;
    return withWrites(context, [results, ...sotaFiles(context).all], null, async (writes) => {
      const result = await measurePlan(plan, context, { seed: peerSeed });
      // sota measures our suite like `bench` does and keeps it where bench would: say so, since it
      // replaces the last run's results.
      if (!context.output.quiet) context.output.err(`results: ${displayPath(results, context.cwd)} overwritten with this run's measurements of our suite`);
      const report = await runPeersAndReport(result, prepared, plan.budget, context);
      await writes.write([{ path: results, text: runResultJson(result) }, ...report.files]);
      if (context.output.json) context.output.out(report.json.trimEnd());
      else if (!context.output.quiet) context.output.out(report.markdown.trimEnd());
      return result.measurements.some((m) => m.status === 'invalid') ? exitCodes.regression : exitCodes.ok;
    });
  });
}
