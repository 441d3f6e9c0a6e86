import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcessSource } from '@ratchet/core';
import { loadNative } from '@ratchet/native';
import type { SotaTable } from '@ratchet/types';
import { ratchet, scratchProject } from './cli-harness.js';

describe('bench --peers', () => {
  it('reports a missing interpreter once per peer, still writes the table, and exits 0', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['bench', '--backend', 'cpu', '--peers', 'torch-sdpa/flash', 'torch-sdpa/cudnn', '--python', '/nonexistent/python3']);
    expect(run.status).toBe(0);
    expect(run.stderr.trim().split('\n').filter((line) => !line.startsWith('['))).toEqual([
      'peer torch-sdpa/flash unavailable: /nonexistent/python3 not found',
      'peer torch-sdpa/cudnn unavailable: /nonexistent/python3 not found',
    ]);
    const table = JSON.parse(readFileSync(join(dir, 'results/sota.json'), 'utf8')) as SotaTable;
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]!.ours!.tflops).toBeGreaterThan(0);
    expect(table.rows[0]!.peers['torch-sdpa/flash']).toEqual({ status: 'unavailable', reason: '/nonexistent/python3 not found' });
    expect(existsSync(join(dir, 'results/sota.svg'))).toBe(true);
  });

  it('sota says it overwrote results/current.json, and its CPU table names the CPU', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['sota', '--backend', 'cpu', '--peers', 'torch-sdpa/math', '--python', '/nonexistent/python3']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("results: results/current.json overwritten with this run's measurements of our suite\n");
    expect(run.stdout).toMatch(/Same CPU, same session, same inputs\./);
    expect(run.stdout).not.toMatch(/GPU| 0\.0 /);
  });

  it('rejects an unknown peer name before measuring anything', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['run', '--backend', 'cpu', '--peers', 'tensorrt']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown peer 'tensorrt' \(known: torch-sdpa\/flash, /);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});

describe('the shipped torch peer', { timeout: 120_000 }, () => {
  it('is a process source declaring our flash_fwd, with the same parameters and one variant per SDPA backend', async () => {
    const script = createRequire(import.meta.url).resolve('@ratchet/peer-torch/torch_sdpa.py');
    const client = await startProcessSource({ command: ['python3', script] }, dirname(script));
    try {
      const ours = loadNative().problems().find((p) => p.name === 'flash_fwd')!;
      expect(client.problems.map((p) => [p.name, p.variants, p.backends])).toEqual([['flash_fwd', ['flash', 'efficient', 'cudnn', 'math'], ['cuda']]]);
      expect(client.problems[0]!.params).toEqual(ours.params);
      // Here (no torch, or no GPU) it says why in one line; on the GPU host it names its torch.
      if (client.unavailable) expect(client.unavailable).toMatch(/^(no usable torch: |torch \S+ sees no CUDA device$)/);
      else expect(client.software).toMatch(/^torch \d/);
    } finally {
      await client.close();
    }
  });
});
