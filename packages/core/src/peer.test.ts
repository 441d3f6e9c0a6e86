import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import { runPeer, type PeerRequest, type PeerSpec } from './peer.js';
import { bench } from './run.js';
import { buildSotaTable } from './sota.js';

const fakePeer = fileURLToPath(new URL('../test/peers/fake-peer.mjs', import.meta.url));
const benchmarks: Benchmark[] = [
  { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false },
  { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 64, D: 16, causal: true },
];
const request: PeerRequest = { protocol: 1, benchmarks, timing: { warmup: 1, samples: 20, l2Flush: false }, seed: 7 };
const peer = (mode: string, timeoutMs = 10_000): PeerSpec => ({ name: `fake/${mode}`, command: [process.execPath, fakePeer, mode], timeoutMs });

describe('runPeer: the peer protocol over stdin/stdout', () => {
  it('returns raw samples for every requested benchmark', async () => {
    const outcome = await runPeer(peer('ok'), request);
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.response.results.map((r) => r.id)).toEqual(['flash_fwd/fp16/B1_H1_S32_D16', 'flash_fwd/fp16/B1_H1_S64_D16_causal']);
    expect(outcome.response.results[0]!.samplesMs).toHaveLength(20);
  });

  it('reports a peer that says it cannot run here as unavailable, with its reason', async () => {
    expect(await runPeer(peer('unavailable'), request)).toEqual({ peer: 'fake/unavailable', status: 'unavailable', reason: 'no torch here' });
  });

  it('reports a missing program as unavailable', async () => {
    const outcome = await runPeer({ name: 'ghost', command: ['/nonexistent/python3'], timeoutMs: 5_000 }, request);
    expect(outcome).toEqual({ peer: 'ghost', status: 'unavailable', reason: '/nonexistent/python3 not found' });
  });

  it('reports a crash as failed with the tail of its stderr', async () => {
    const outcome = await runPeer(peer('crash'), request);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'exited with code 7' });
    expect(outcome.status === 'failed' && outcome.stderrTail).toMatch(/CUDA error: out of memory/);
  });

  it('kills a peer that hangs past its timeout and reports it failed', async () => {
    const outcome = await runPeer(peer('hang', 500), request);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'timed out after 0.5 s' });
  });

  it('reports malformed JSON and a wrong protocol version as failed', async () => {
    expect(await runPeer(peer('garbage'), request)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^printed malformed JSON/) });
    expect(await runPeer(peer('wrong-protocol'), request)).toMatchObject({ status: 'failed', reason: 'speaks protocol 99, expected 1' });
  });
});

describe('buildSotaTable', () => {
  const budget = { warmup: 1, minSamples: 10, maxSamples: 40, minTimeMs: 1, maxTimeMs: 500, targetRelCiHalfWidth: 0.05, l2Flush: false, launchesPerSample: 1 };

  it('puts ours and every peer side by side, failures included, with our speed-up and its CI', async () => {
    const result = await bench({ backend: jsBackend(), benchmarks, budget, git: null });
    const outcomes = [await runPeer(peer('ok'), request), await runPeer(peer('unsupported'), request), await runPeer(peer('crash'), request), await runPeer(peer('invalid'), request)];
    const table = buildSotaTable(result, outcomes);
    expect(table.peers.map((p) => [p.name, p.status])).toEqual([['fake/ok', 'ok'], ['fake/unsupported', 'ok'], ['fake/crash', 'failed'], ['fake/invalid', 'ok']]);
    const [first] = table.rows;
    const ok = first!.peers['fake/ok']!;
    expect(ok.status).toBe('ok');
    if (ok.status === 'ok') {
      expect(ok.ourSpeedup).toBeGreaterThan(0);
      expect(ok.ourSpeedupCi95[0]).toBeLessThanOrEqual(ok.ourSpeedup);
      expect(ok.ourSpeedupCi95[1]).toBeGreaterThanOrEqual(ok.ourSpeedup);
    }
    expect(first!.peers['fake/unsupported']).toEqual({ status: 'unsupported', reason: 'head dim 16 not supported' });
    expect(first!.peers['fake/crash']).toEqual({ status: 'failed', reason: 'exited with code 7' });
    expect(first!.peers['fake/invalid']).toEqual({ status: 'invalid', reason: 'relative error 5e-1' });
    expect(first!.ours!.tflops).toBeGreaterThan(0);
  });
});
