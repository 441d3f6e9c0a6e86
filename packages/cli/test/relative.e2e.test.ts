import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '@ratchet/types';
import { cliTimeoutMs, ratchet, readJson, scratchProject } from './cli-harness.js';

// Relative mode works on the git checkout holding the working directory: run from the repository.
const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('ratchet run --base (relative mode) on the CPU backend', () => {
  it('builds the base ref beside the checkout, measures both interleaved, and labels identical kernels A/A', () => {
    // This repository builds Ratchet itself: the base gets its own addon, as the repository's config says.
    const dir = scratchProject({ build: { command: ['node', 'native/scripts/build.mjs'], addon: 'native/build/Release/ratchet_native.node' } });
    // The base addon is built CPU-only so the test stays fast where nvcc is installed.
    const run = ratchet(repository, ['--config', join(dir, 'ratchet.config.json'), 'run', '--backend', 'cpu', '--base', 'HEAD'], { RATCHET_CUDA: '0' }, cliTimeoutMs.build);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const comparison = readJson<Comparison>(join(dir, 'results/comparison.json'));
    expect(comparison.relative).toMatchObject({ baseRef: 'HEAD' });
    // Interleaved, so judged at the same-session threshold (1.5%), not the cross-run one (3%).
    expect(comparison.thresholds.regressionPct).toBe(1.5);
    // The same CPU kernels compiled twice: equal machine-code hashes, judged A/A.
    expect(comparison.results.every((r) => r.aa === true)).toBe(true);
    expect(comparison.counts.regression).toBe(0);
    expect(comparison.counts.unchanged).toBe(2);
    expect(existsSync(join(dir, 'results/base.json'))).toBe(true);
    expect(existsSync(join(dir, '.ratchet/baseline.json'))).toBe(false);
  });

  it('rejects a ref git does not know with exit code 2', () => {
    const dir = scratchProject();
    const run = ratchet(repository, ['--config', join(dir, 'ratchet.config.json'), 'run', '--backend', 'cpu', '--base', 'no-such-ref-xyz']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/git rev-parse --verify no-such-ref-xyz\^\{commit\} failed/);
  });
});
