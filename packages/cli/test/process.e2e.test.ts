import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '@ratchet/types';
import { ratchet, readJson } from './cli-harness.js';

const example = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/python-cpu');

describe('a kernel that lives in Python, guarded through the CLI (examples/python-cpu)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-python-'));
  cpSync(example, dir, { recursive: true });
  // This is about identity and A/A, not noise: on a loaded machine a first CPU run can be too
  // noisy (cv past the 10% a first entry needs) to be stored, and the second would then be new.
  const config = readJson<{ thresholds?: object }>(join(dir, 'ratchet.config.json'));
  writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({ ...config, thresholds: { ...config.thresholds, newEntryMaxCvPct: 1e6 } }));

  it('first run: new, stored in the baseline; the ids come from the problem\'s parameters', () => {
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2 new/);
    const comparison = readJson<Comparison>(join(dir, 'results/comparison.json'));
    expect(comparison.results.map((r) => r.id).sort()).toEqual(['prefix_sum/n4096', 'prefix_sum/n65536']);
  });

  it('second run of the same code: unchanged, and A/A (the same source, so the same identity)', () => {
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status, run.stderr).toBe(0);
    const comparison = readJson<Comparison>(join(dir, 'results/comparison.json'));
    expect(comparison.counts.unchanged).toBe(2);
    expect(comparison.results.every((r) => r.aa === true)).toBe(true);
  });

  it('autotune sees the variants the process offers', () => {
    const run = ratchet(dir, ['autotune', '--backend', 'cpu', 'prefix_sum/n4096', '--budget', '4']);
    expect(run.status, run.stderr).toBe(0);
    const tuning = readJson<{ devices: Record<string, { benchmarks: Record<string, { candidates: { variant: string }[] }> }> }>(join(dir, '.ratchet/tuning.json'));
    const [device] = Object.values(tuning.devices);
    expect(device!.benchmarks['prefix_sum/n4096']!.candidates.map((c) => c.variant).sort()).toEqual(['accumulate', 'loop']);
  });

  it('ratchet problems lists it beside the built-ins, with its source', () => {
    const run = ratchet(dir, ['--json', 'problems', '--backend', 'cpu']);
    expect(run.status, run.stderr).toBe(0);
    const problems = JSON.parse(run.stdout) as { name: string; source: { kind: string } }[];
    expect(problems.find((p) => p.name === 'prefix_sum')?.source).toEqual({ kind: 'process', command: ['python3', 'prefix_sum.py'] });
    expect(problems.some((p) => p.name === 'flash_fwd' && p.source.kind === 'builtin')).toBe(true);
  });

  it('a parameter outside what the problem declares is refused, naming the config field', () => {
    const bad = mkdtempSync(join(tmpdir(), 'ratchet-python-bad-'));
    cpSync(example, bad, { recursive: true });
    const config = readJson<Record<string, unknown>>(join(bad, 'ratchet.config.json'));
    writeFileSync(join(bad, 'ratchet.config.json'), JSON.stringify({ ...config, suites: { cpu: [{ kernel: 'prefix_sum', n: 0 }] } }));
    const run = ratchet(bad, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ratchet\.config\.json: suites\.cpu\[0\]\.n: expected an integer from 1 to 4194304 but received 0/);
  });
});
