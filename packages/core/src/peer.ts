import { benchmarkId, type Benchmark, type Correctness } from '@ratchet/types';
import { killGroup, spawnGroup } from './children.js';

/**
 * The peer protocol. A peer is an external program (PyTorch SDPA today) that measures the same
 * benchmarks as our kernel: it reads one PeerRequest as JSON on stdin and writes one PeerResponse
 * as JSON on stdout. It returns raw samples only, so its numbers go through exactly the same
 * statistics as ours; verdicts and reports stay in TypeScript.
 */
export const peerProtocolVersion = 1;

export interface PeerRequest {
  protocol: typeof peerProtocolVersion;
  benchmarks: Benchmark[];
  /** Same meaning as for our kernel: untimed launches, samples, L2 flush before each sample. */
  timing: { warmup: number; samples: number; l2Flush: boolean };
  /** Seed of the shared input generator (docs/peers.md), so both sides see the same inputs. */
  seed: number;
}

export interface PeerBenchmarkResult {
  id: string;
  /** `unsupported`: this peer refuses the shape (e.g. a backend without that head dim). */
  status: 'ok' | 'unsupported';
  reason?: string;
  samplesMs: number[];
  /** Against the peer's own fp32 math reference on the same inputs. */
  correctness: Correctness | null;
  /** Sum and sum of |x| of the output on the shared inputs: compared with ours across sides. */
  checksum: { sum: number; absSum: number } | null;
}

export interface PeerResponse {
  protocol: typeof peerProtocolVersion;
  /** `unavailable`: the peer cannot run here at all (no torch, no CUDA in torch, ...). */
  status: 'ok' | 'unavailable';
  reason?: string;
  /** What the peer ran on, in its own words (torch version, device name). */
  device?: { name: string; software: string };
  results: PeerBenchmarkResult[];
}

/** How to start a peer: e.g. { name: 'torch-sdpa/flash', command: ['python3', 'peers/torch_sdpa.py', '--backend', 'flash'] }. */
export interface PeerSpec {
  name: string;
  command: [string, ...string[]];
  timeoutMs: number;
}

export type PeerOutcome =
  | { peer: string; status: 'ok'; response: PeerResponse }
  | { peer: string; status: 'unavailable'; reason: string }
  | { peer: string; status: 'failed'; reason: string; stderrTail: string };

const stderrTailChars = 2_000;

function tail(text: string): string {
  return text.length > stderrTailChars ? `...${text.slice(-stderrTailChars)}` : text;
}

/** A peer's stdout, checked field by field: a peer is untrusted input. */
export function parsePeerResponse(text: string, request: PeerRequest): PeerResponse | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `printed malformed JSON (${(error as Error).message})`;
  }
  const response = value as Partial<PeerResponse> | null;
  if (typeof response !== 'object' || response === null) return 'printed JSON that is not an object';
  if (response.protocol !== peerProtocolVersion) return `speaks protocol ${String(response.protocol)}, expected ${peerProtocolVersion}`;
  if (response.status === 'unavailable') return { ...response, results: [] } as PeerResponse;
  if (response.status !== 'ok' || !Array.isArray(response.results)) return 'response lacks status "ok" and a results array';
  const wanted = new Set(request.benchmarks.map(benchmarkId));
  for (const [index, result] of response.results.entries()) {
    const where = `results[${index}]`;
    if (!result || typeof result.id !== 'string' || !wanted.has(result.id)) return `${where}.id is not one of the requested benchmarks`;
    if (result.status !== 'ok' && result.status !== 'unsupported') return `${where}.status must be "ok" or "unsupported"`;
    if (!Array.isArray(result.samplesMs)) return `${where}.samplesMs must be an array`;
    if (result.status === 'ok' && result.correctness?.passed !== false && (result.samplesMs.length === 0 || !result.samplesMs.every((ms) => typeof ms === 'number' && Number.isFinite(ms) && ms > 0))) {
      return `${where}.samplesMs must hold positive finite milliseconds`;
    }
  }
  return response as PeerResponse;
}

/**
 * Runs one peer to completion. Never throws for the peer's own failures: a peer that is missing,
 * crashes, hangs past its timeout or prints garbage comes back as `unavailable` or `failed` with
 * its stderr tail, so the rest of the table is still produced.
 */
export function runPeer(spec: PeerSpec, request: PeerRequest): Promise<PeerOutcome> {
  return new Promise((resolvePromise) => {
    const [file, ...args] = spec.command;
    // Its own process group: an interrupt stops the peer and whatever it started (stopChildren).
    const child = spawnGroup(file, args);
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (outcome: PeerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(outcome);
    };
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      finish({ peer: spec.name, status: 'failed', reason: `timed out after ${spec.timeoutMs / 1e3} s`, stderrTail: tail(stderr) });
    }, spec.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? `${file} not found` : error.message;
      finish({ peer: spec.name, status: 'unavailable', reason });
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        finish({ peer: spec.name, status: 'failed', reason: how, stderrTail: tail(stderr) });
        return;
      }
      const parsed = parsePeerResponse(stdout, request);
      if (typeof parsed === 'string') finish({ peer: spec.name, status: 'failed', reason: parsed, stderrTail: tail(stderr) });
      else if (parsed.status === 'unavailable') finish({ peer: spec.name, status: 'unavailable', reason: parsed.reason ?? 'no reason given' });
      else finish({ peer: spec.name, status: 'ok', response: parsed });
    });
    // A peer that exits without reading stdin raises EPIPE here; its exit status tells the story.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(request));
  });
}
