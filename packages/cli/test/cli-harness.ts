import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI: e2e tests run what users run (`pnpm test` builds first). */
export const cliBin = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function ratchet(cwd: string, args: string[], env: Record<string, string> = {}): CliResult {
  const child = spawnSync(process.execPath, [cliBin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A scratch project with its own ratchet.config.json: a tiny CPU suite and short budgets. */
export function scratchProject(config: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-e2e-'));
  const base = {
    suites: {
      cpu: [
        { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 128, D: 32, causal: false },
        { kernel: 'flash_fwd', dtype: 'bf16', B: 1, H: 1, S: 96, D: 16, causal: true },
      ],
    },
    budgets: { cpu: { warmup: 2, minSamples: 30, maxSamples: 120, minTimeMs: 30, maxTimeMs: 600 } },
  };
  // How steady a first CPU run is depends on the load of the machine the tests run on: no test may,
  // so a new entry is always stored here unless a test asks for the bound (baseline's unit tests
  // check the bound itself on seeded samples).
  const thresholds = { newEntryMaxCvPct: 1e6, ...(config.thresholds as Record<string, unknown> | undefined) };
  writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({ ...base, ...config, thresholds }, null, 2));
  return dir;
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
