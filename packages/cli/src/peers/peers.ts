// What the commands that measure peers share (sota, and run/bench with --peers): the peers chosen
// from the options, one interleaved pass of ours and theirs, and its table, chart and files.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { closePeers, defaultPeers, measureWithPeers, startPeers, type PeerColumn, type PeerSpec } from '@ratchet/core';
import type { OutputFile } from '@ratchet/files';
import { renderSotaMarkdown, renderSotaSvg } from '@ratchet/report';
import { RatchetError, maxTimerMs, type MeasureBudget, type RunResult, type SotaTable, type Tuning } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { gitInfo } from '../git.js';
import { childDeviceEnvironment } from '../measuring/device-choice.js';
import { printEvents } from '../measuring/events.js';
import type { MeasurementPlan } from '../measuring/plan.js';
import { interruptible, throwIfInterrupted } from '../signals.js';

// The shipped PyTorch peer, wherever the package manager put it (a dependency of this package).
const peerScript = createRequire(import.meta.url).resolve('@ratchet/peer-torch/torch_sdpa.py');

function choosePeers(options: PeerOptions & { peers: string[] }): PeerSpec[] {
  const timeoutMs = Number(options.peerTimeout) * 1e3;
  if (!(timeoutMs > 0 && timeoutMs <= maxTimerMs)) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--peer-timeout: expected seconds above 0 and at most ${Math.floor(maxTimerMs / 1e3)} (the longest a Node timer holds) but received '${options.peerTimeout}'`);
  }
  const all = defaultPeers({ python: options.python, script: peerScript, timeoutMs });
  if (options.peers.length === 0) return all;
  return options.peers.map((name) => {
    const spec = all.find((peer) => peer.name === name);
    if (!spec) throw new RatchetError('ERR_RATCHET_USAGE', `unknown peer '${name}' (known: ${all.map((p) => p.name).join(', ')})`);
    return spec;
  });
}

/** The one line a peer that did not run (or died) gets; null for one that ran. */
function peerLine(column: PeerColumn): string | null {
  if (column.status === 'ok') return null;
  return `peer ${column.name} ${column.status}: ${column.reason ?? 'no reason given'}`;
}

export interface PeerOptions {
  /** Peer names to run; empty or true: all of the shipped ones. */
  peers?: string[] | boolean;
  python: string;
  /** The least samples every side (ours and each peer) takes per benchmark in the interleaved pass. */
  peerSamples: string;
  /** Seconds one request to a peer may go unanswered. */
  peerTimeout: string;
}

/** The seed of the shared input generator that every side's check uses. */
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

/** The run's budget with at least `samples` samples per side (--peer-samples), the caps raised to match. */
export function peerBudget(budget: MeasureBudget, samples: number): MeasureBudget {
  return { ...budget, minSamples: Math.max(budget.minSamples, samples), maxSamples: Math.max(budget.maxSamples, samples) };
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

/**
 * Starts the peers, measures ours and theirs interleaved benchmark by benchmark (measureWithPeers,
 * on the plan's budget with at least the --peer-samples), and stops them again. A peer that cannot
 * start, or dies, gets one line; the rest of the table is still produced.
 */
export async function interleavedPass(plan: MeasurementPlan, prepared: { peers: PeerSpec[]; samples: number }, tuning: Tuning | null, context: CommandContext, createdAt?: string): Promise<{ result: RunResult; columns: PeerColumn[]; table: SotaTable }> {
  context.output.progress(`starting ${prepared.peers.length} peer(s) ...`);
  const peers = await startPeers(prepared.peers, plan.selected.device, context.cwd, childDeviceEnvironment(plan.selected.device, plan.selected.selector) ?? {});
  try {
    // An interrupt stopped the peers: their "failure" is ours, not a row of the table.
    throwIfInterrupted();
    const pass = await measureWithPeers({
      ours: plan.measure,
      peers: peers.map((peer) => (peer.status === 'ok' ? { ...peer, backend: interruptible(peer.backend) } : peer)),
      benchmarks: plan.benchmarks, budget: peerBudget(plan.budget, prepared.samples), seed: peerSeed,
      tuning, git: gitInfo(context.cwd), onEvent: printEvents(context), ...(createdAt === undefined ? {} : { createdAt }),
    });
    context.output.progress(null);
    throwIfInterrupted();
    for (const column of pass.columns) {
      const line = peerLine(column);
      if (line) context.output.err(context.output.color.yellow(line));
    }
    return pass;
  } finally {
    await closePeers(peers);
  }
}

/** The table (md, json) and chart (svg) of a pass, to be written with the command's other outputs. */
export async function peerReport(table: SotaTable, commit: string | null, context: CommandContext): Promise<PeerReport> {
  const files = sotaFiles(context);
  const markdown = renderSotaMarkdown(table);
  const json = `${JSON.stringify(table, null, 2)}\n`;
  return {
    files: [{ path: files.json, text: json }, { path: files.markdown, text: markdown }, { path: files.svg, text: await renderSotaSvg(table, { commit }) }],
    table,
    markdown,
    json,
    announce: () => {
      if (!context.output.quiet && !context.output.json) context.output.out(`peers: ${files.all.map((f) => displayPath(f, context.cwd)).join(', ')}`);
    },
  };
}

/**
 * `run --peers` and `bench --peers`: after the judged measurement (`result`, left as it is), an
 * interleaved pass of ours and the peers; the table's figures, ours included, come from that pass.
 */
export async function runPeersAndReport(result: RunResult, prepared: { peers: PeerSpec[]; samples: number }, plan: MeasurementPlan, tuning: Tuning | null, context: CommandContext): Promise<PeerReport> {
  const pass = await interleavedPass(plan, prepared, tuning, context, result.createdAt);
  return peerReport(pass.table, result.git?.sha ?? null, context);
}
