// A reader that stops early (`ratchet problems | head -4`, a pager quit) closes the pipe under
// stdout. On an H100 host that crashed the CLI with an unhandled EPIPE (exit 1, a Node stack); the
// command must finish as it would have, its exit code and files its own.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, cliTimeoutMs, scratchProject } from './cli-harness.js';

/** Runs the CLI with the reading end of its stdout closed before it writes anything. */
function withStdoutClosed(cwd: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed at once: the CLI takes its first write long after this (it loads its modules first).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('stdout closed by its reader', () => {
  it('`ratchet problems` exits 0 and prints no stack', async () => {
    const { status, stderr } = await withStdoutClosed(scratchProject(), ['problems']);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(status).toBe(0);
  });

  it('`ratchet bench` measures to the end and writes its results', async () => {
    const dir = scratchProject({
      suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false }] },
      budgets: { cpu: { warmup: 1, minSamples: 5, maxSamples: 10, minTimeMs: 1, maxTimeMs: 50 } },
    });
    const { status, stderr } = await withStdoutClosed(dir, ['bench', '--backend', 'cpu']);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(status).toBe(0);
    expect(existsSync(join(dir, 'results/current.json'))).toBe(true);
  }, cliTimeoutMs.measure);
});
