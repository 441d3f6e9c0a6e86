import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
