// A peer is another implementation of our benchmarks (PyTorch SDPA with one backend forced, ...)
// measured beside ours in the same session. It is a process source (the line protocol of
// python/ratchet_problem) that declares our kernel's problem, with one variant per way of
// running it: each peer is the sessions of one variant. A peer is untrusted: that it cannot start
// or answers badly becomes its status, never a failure of the run.
import { isRatchetError, type Device } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { processBackend } from './process-backend.js';
import { startProcessSource, type ProcessSourceClient } from './process-source.js';

/** How to start a peer: e.g. { name: 'torch-sdpa/flash', command: ['python3', 'torch_sdpa.py'], variant: 'flash' }. */
export interface PeerSpec {
  name: string;
  command: [string, ...string[]];
  /** The variant of the peer's problem every session of this peer is opened with. */
  variant: string;
  /** How long one request (open, check, one batch of samples) may go unanswered before the peer is stopped, ms. */
  timeoutMs: number;
}

/** A peer once started: running (with its backend), or why not. */
export type StartedPeer =
  | { spec: PeerSpec; status: 'ok'; client: ProcessSourceClient; backend: MeasureBackend; software: string | null }
  | { spec: PeerSpec; status: 'unavailable' | 'failed'; reason: string };

/** An error that is the peer's doing (it died, hung, broke the protocol, refused or failed its kernel), not ours. */
export function peerFault(error: unknown): error is Error {
  return isRatchetError(error) && ['ERR_RATCHET_PROCESS', 'ERR_RATCHET_KERNEL_FAILED', 'ERR_RATCHET_UNSUPPORTED_SHAPE'].includes(error.code);
}

/** The spawn error behind a process that could not be started at all (no such interpreter). */
function spawnError(error: Error): NodeJS.ErrnoException | null {
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  return cause instanceof Error && typeof cause.syscall === 'string' && cause.syscall.startsWith('spawn') ? cause : null;
}

/**
 * Starts one peer in `cwd` and greets it. Never throws for the peer's own failures: a program that
 * is missing, or a process that says it cannot run here (no torch, no CUDA), is `unavailable`; one
 * that crashes, hangs or prints garbage is `failed` with its stderr tail (in the reason).
 */
export async function startPeer(spec: PeerSpec, device: Device, cwd: string, env: Readonly<Record<string, string>> = {}): Promise<StartedPeer> {
  let client: ProcessSourceClient;
  try {
    client = await startProcessSource({ command: spec.command, timeoutMs: spec.timeoutMs }, cwd, env);
  } catch (error) {
    if (!peerFault(error)) throw error;
    const spawn = spawnError(error);
    if (spawn) return { spec, status: 'unavailable', reason: spawn.code === 'ENOENT' ? `${spec.command[0]} not found` : spawn.message };
    return { spec, status: 'failed', reason: error.message };
  }
  if (client.unavailable) {
    await client.close();
    return { spec, status: 'unavailable', reason: client.unavailable };
  }
  const declaring = client.problems.filter((problem) => problem.variants.includes(spec.variant));
  if (declaring.length === 0) {
    await client.close();
    return { spec, status: 'failed', reason: `\`${spec.command.join(' ')}\` declares no problem with the variant '${spec.variant}'` };
  }
  return { spec, status: 'ok', client, backend: processBackend(client, device), software: client.software };
}

/** Starts every peer (one process each, so one peer's crash or sticky CUDA error spares the others); `env` as startPeer's. */
export async function startPeers(specs: readonly PeerSpec[], device: Device, cwd: string, env: Readonly<Record<string, string>> = {}): Promise<StartedPeer[]> {
  return Promise.all(specs.map((spec) => startPeer(spec, device, cwd, env)));
}

/** Stops every running peer. */
export async function closePeers(peers: readonly StartedPeer[]): Promise<void> {
  await Promise.all(peers.map((peer) => (peer.status === 'ok' ? peer.client.close() : undefined)));
}
