import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Benchmark, MeasureBudget } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { closePeers, startPeers, type PeerSpec } from './peer.js';
import { measureWithPeers } from './peer-pass.js';
import { buildSotaTable } from './sota.js';

const here = dirname(fileURLToPath(import.meta.url));
const fakePeer = join(here, '../test/peers/fake-peer.mjs');
const benchmarks: Benchmark[] = [
  { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false },
  { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 64, D: 16, causal: true },
];
const [first, second] = ['flash_fwd/fp16/B1_H1_S32_D16', 'flash_fwd/fp16/B1_H1_S64_D16_causal'];
// minSamples above the batch cap of 8: every side takes at least two turns.
const budget: MeasureBudget = { warmup: 1, minSamples: 12, maxSamples: 40, minTimeMs: 1, maxTimeMs: 500, targetRelCiHalfWidth: 0.05, l2Flush: false, launchesPerSample: 1 };

// Each peer is a Node process: seconds to start on a loaded machine, so the requests get a wide limit.
const spawning = { timeout: 120_000 };

function peer(mode: string, options: { log?: string; label?: string; timeoutMs?: number } = {}): PeerSpec {
  const logging = options.log ? [options.log, options.label ?? mode] : [];
  return { name: `fake/${options.label ?? mode}`, command: [process.execPath, fakePeer, mode, ...logging], variant: 'fast', timeoutMs: options.timeoutMs ?? 60_000 };
}

/** Our side: the JS backend, its sample batches logged beside the peers' requests, its check with a checksum. */
function ours(log?: string): MeasureBackend {
  const js = jsBackend();
  return {
    device: js.device,
    open: async (benchmark, options) => {
      const session = (await js.open(benchmark, options)) as BenchmarkSession;
      return {
        ...session,
        check: async () => ({ ...(await session.check()), checksum: { sum: 1.001, absSum: 10 } }),
        sample: (sampleOptions) => {
          if (log) appendFileSync(log, 'ours sample\n');
          return session.sample(sampleOptions);
        },
      };
    },
  };
}

async function measure(specs: PeerSpec[], backend: MeasureBackend = ours()) {
  const peers = await startPeers(specs, backend.device, here);
  try {
    const pass = await measureWithPeers({ ours: backend, peers, benchmarks, budget, seed: 7, git: null });
    return { ...pass, table: buildSotaTable(pass.result, pass.columns) };
  } finally {
    await closePeers(peers);
  }
}

const scratchLog = () => join(mkdtempSync(join(tmpdir(), 'ratchet-peers-')), 'requests.log');
const requests = (log: string) => readFileSync(log, 'utf8').trim().split('\n');

describe('measureWithPeers: ours and the peers, interleaved benchmark by benchmark', spawning, () => {
  it('samples the sides in turns, forward then backward, and checks every side before any sample', async () => {
    const log = scratchLog();
    const { result, table } = await measure([peer('ok', { log, label: 'a' }), peer('ok', { log, label: 'b' })], ours(log));
    expect(result.measurements.map((m) => m.status)).toEqual(['ok', 'ok']);
    const firstBenchmark = requests(log).slice(0, requests(log).findIndex((line) => line.endsWith(' close')));
    expect(firstBenchmark.filter((line) => line.includes(' open'))).toEqual(['a open seed=7', 'b open seed=7']);
    const peerChecks = firstBenchmark.filter((line) => line.endsWith(' check'));
    expect(peerChecks).toEqual(['a check', 'b check']);
    expect(firstBenchmark.findIndex((line) => line.endsWith(' sample'))).toBeGreaterThan(firstBenchmark.indexOf('b check'));
    const turns = firstBenchmark.filter((line) => line.endsWith(' sample')).map((line) => line.split(' ')[0]);
    expect(turns.length).toBeGreaterThanOrEqual(6);
    expect(turns.length % 3).toBe(0);
    for (let round = 0; round < turns.length / 3; round += 1) {
      expect(turns.slice(3 * round, 3 * round + 3)).toEqual(round % 2 === 0 ? ['ours', 'a', 'b'] : ['b', 'a', 'ours']);
    }
    const cell = table.rows[0]!.peers['fake/a']!;
    expect(cell.status).toBe('ok');
    if (cell.status === 'ok') {
      expect(cell.ourSpeedupCi95[0]).toBeLessThanOrEqual(cell.ourSpeedup);
      expect(cell.ourSpeedupCi95[1]).toBeGreaterThanOrEqual(cell.ourSpeedup);
      expect(cell.tflops).toBeGreaterThan(0);
    }
    expect(table.peers).toEqual([
      { name: 'fake/a', status: 'ok', reason: null, software: `node ${process.version}` },
      { name: 'fake/b', status: 'ok', reason: null, software: `node ${process.version}` },
    ]);
  });

  it('carries both checksums to the table: |1.001 - 1| / 10', async () => {
    const { table } = await measure([peer('ok')]);
    const cell = table.rows[0]!.peers['fake/ok']!;
    expect(cell.status === 'ok' && cell.checksumRelDiff).toBeCloseTo(1e-4, 12);
  });

  it('shows a refused shape as unsupported with its reason, and measures the next one', async () => {
    const { table } = await measure([peer('unsupported')]);
    expect(table.rows[0]!.peers['fake/unsupported']).toEqual({ status: 'unsupported', reason: expect.stringMatching(/^head dim 16 not supported \(`.*fake-peer\.mjs unsupported` refused the shape at 'open'\)$/) });
    expect(table.rows[1]!.peers['fake/unsupported']!.status).toBe('ok');
    expect(table.peers[0]!.status).toBe('ok');
  });

  it('shows a failed check as invalid and never samples that side', async () => {
    const log = scratchLog();
    const { table } = await measure([peer('invalid', { log })]);
    expect(table.rows.map((row) => row.peers['fake/invalid'])).toEqual([
      { status: 'invalid', reason: 'relative error 5e-1' },
      { status: 'invalid', reason: 'relative error 5e-1' },
    ]);
    expect(requests(log).filter((line) => line.endsWith(' check'))).toHaveLength(2);
    expect(requests(log).filter((line) => line.endsWith(' sample'))).toEqual([]);
    expect(table.rows[0]!.ours!.medianMs).toBeGreaterThan(0);
  });

  it('fails a peer that dies mid-run with its stderr tail, keeps what it measured before, and goes on without it', async () => {
    const { table } = await measure([peer('crash'), peer('ok')]);
    const failed = { status: 'failed', reason: expect.stringMatching(/exited with code 7 \(stderr: .*illegal memory access/) };
    // It dies at its first batch of the second benchmark, after our first batch of that round.
    expect(table.rows[0]!.peers['fake/crash']!.status).toBe('ok');
    expect(table.rows[1]!.peers['fake/crash']).toEqual(failed);
    expect(table.peers[0]).toMatchObject({ name: 'fake/crash', status: 'failed', reason: failed.reason });
    expect(table.rows.map((row) => row.peers['fake/ok']!.status)).toEqual(['ok', 'ok']);
    expect(table.rows.every((row) => row.ours !== null)).toBe(true);
  });

  // 8 s: the same limit covers its start (hello), which a loaded 2-core machine can slow to seconds.
  it('fails a peer that hangs past its limit, or answers with garbage or a malformed checksum, each with one message', async () => {
    const { table } = await measure([peer('hang', { timeoutMs: 8_000 }), peer('garbage'), peer('bad-checksum')]);
    expect(table.rows[0]!.peers['fake/hang']).toEqual({ status: 'failed', reason: expect.stringMatching(/did not answer 'sample' within 8 s, so it was stopped/) });
    expect(table.rows[0]!.peers['fake/garbage']).toEqual({ status: 'failed', reason: expect.stringMatching(/answered 'open' with a line that is not JSON: this is not json \{/) });
    expect(table.rows[0]!.peers['fake/bad-checksum']).toEqual({ status: 'failed', reason: expect.stringMatching(/answered 'check' with a checksum that is not \{sum, absSum\}/) });
    expect(table.rows[0]!.ours!.medianMs).toBeGreaterThan(0);
  });

  it('reports a missing interpreter, and a peer that says it cannot run here, as unavailable in every row', async () => {
    const ghost: PeerSpec = { name: 'ghost', command: ['/nonexistent/python3', 'torch_sdpa.py'], variant: 'cudnn', timeoutMs: 10_000 };
    const { table } = await measure([ghost, peer('unavailable')]);
    expect(table.peers.map((p) => [p.name, p.status, p.reason])).toEqual([
      ['ghost', 'unavailable', '/nonexistent/python3 not found'],
      ['fake/unavailable', 'unavailable', 'no torch here'],
    ]);
    expect(table.rows.map((row) => row.peers.ghost)).toEqual([
      { status: 'unavailable', reason: '/nonexistent/python3 not found' },
      { status: 'unavailable', reason: '/nonexistent/python3 not found' },
    ]);
    expect(table.rows.every((row) => row.ours !== null)).toBe(true);
  });

  it('returns our measurements of this pass as the run result, and the table takes its figures from them', async () => {
    const { result, table } = await measure([]);
    expect(result.measurements.map((m) => m.id)).toEqual([first, second]);
    expect(result.measurements[0]!.correctness!.checksum).toEqual({ sum: 1.001, absSum: 10 });
    expect(table.rows[0]!.ours!.medianMs).toBe(result.measurements[0]!.summary!.median);
  });
});
