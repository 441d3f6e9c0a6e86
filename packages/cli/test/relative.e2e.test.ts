import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '@ratchet/types';
import { cliTimeoutMs, ratchet, readJson, scratchProject, writeScratchConfig } from './cli-harness.js';

// Relative mode works on the git checkout holding the working directory: run from the repository.
const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('ratchet run --base (relative mode) on the CPU backend', () => {
  it('builds the base ref beside the checkout, measures both interleaved, and labels identical kernels A/A', () => {
    // This repository builds Ratchet itself: the base gets its own addon, as the repository's config says.
    const dir = scratchProject({ build: { command: ['node', 'native/scripts/build.mjs'], addon: 'native/build/Release/ratchet_native.node' } });
    // The base addon is built CPU-only so the test stays fast where nvcc is installed. The same code
    // on both sides would be skipped, not measured (identical-code.e2e.test.ts): measured here on purpose.
    const run = ratchet(repository, ['--config', join(dir, 'ratchet.config.json'), 'run', '--backend', 'cpu', '--base', 'HEAD', '--measure-identical'], { RATCHET_CUDA: '0' }, cliTimeoutMs.build);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const comparison = readJson<Comparison>(join(dir, 'results/comparison.json'));
    expect(comparison.relative).toMatchObject({ baseRef: 'HEAD' });
    // Interleaved, so judged at the same-session threshold (1.5%), not the cross-run one (3%).
    expect(comparison.thresholds.regressionPct).toBe(1.5);
    // The same CPU kernels compiled twice: equal machine-code hashes, judged A/A.
    expect(comparison.results.every((r) => r.aa === true && r.current !== null)).toBe(true);
    expect(comparison.counts.regression).toBe(0);
    expect(comparison.counts.unchanged).toBe(2);
    expect(existsSync(join(dir, 'results/base.json'))).toBe(true);
    expect(existsSync(join(dir, '.ratchet/baseline.json'))).toBe(false);
  });

  it("judges a pull request with the base's thresholds and suite, and says first what the PR loosened", () => {
    // The base commit: the scratch suite of two benchmarks, the default thresholds.
    const repo = scratchProject();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'the gate as reviewed');
    const [kept, dropped] = readJson<{ suites: { cpu: Record<string, unknown>[] } }>(join(repo, 'ratchet.config.json')).suites.cpu;
    // The pull request: a relative threshold no slowdown reaches, and one benchmark out of the suite.
    writeScratchConfig(repo, { suites: { cpu: [kept] }, thresholds: { relativeRegressionPct: 50 } });
    const run = ratchet(repo, ['run', '--backend', 'cpu', '--base', 'HEAD']);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const comparison = readJson<Comparison>(join(repo, 'results/comparison.json'));
    // The verdict read the base's relative threshold (1.5, the default), not the PR's 50.
    expect(comparison.thresholds.regressionPct).toBe(1.5);
    const droppedId = `flash_fwd/${String(dropped!.dtype)}/B${String(dropped!.B)}_H${String(dropped!.H)}_S${String(dropped!.S)}_D${String(dropped!.D)}_causal`;
    expect(comparison.relative!.gate).toEqual({
      judgedWith: 'base',
      thresholds: [{ key: 'relativeRegressionPct', base: 1.5, head: 50, looser: true }],
      removed: [{ id: droppedId, measured: true }],
      changed: [],
    });
    // The removed benchmark is still measured on both sides and judged.
    expect(comparison.results.map((r) => r.id)).toContain(droppedId);
    expect(comparison.results).toHaveLength(2);
    const report = readFileSync(join(repo, 'results/report.md'), 'utf8').split('\n');
    expect(report[4]).toMatch(/^⚠️ \*\*This pull request loosens the gate, and does not set it\*\*: judged with the base's `ratchet.config.json` \(`[0-9a-f]{12}`\)\.$/);
    expect(report).toContain('- `relativeRegressionPct`: 1.5 → 50 (looser: judged at 1.5)');
    expect(run.stdout).toContain('gate: thresholds.relativeRegressionPct 1.5 -> 50 in this checkout (looser): judged at 1.5');
    expect(run.stdout).toContain(`gate: ${droppedId} is removed from the suite: measured and judged all the same`);
  });

  it('rejects a ref git does not know with exit code 2', () => {
    const dir = scratchProject();
    const run = ratchet(repository, ['--config', join(dir, 'ratchet.config.json'), 'run', '--backend', 'cpu', '--base', 'no-such-ref-xyz']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/git rev-parse --verify no-such-ref-xyz\^\{commit\} failed/);
  });
});
