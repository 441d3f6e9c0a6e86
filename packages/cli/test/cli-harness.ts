import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * Limits on one CLI run, by the work it does, with room for a machine ten times slower than an
 * idle one: measuring a scratch suite takes seconds, building an addon (relative mode) a minute.
 * A test's own limit (vitest.config.ts) sits above what its runs may take together.
 */
export const cliTimeoutMs = { measure: 300_000, build: 900_000 };

export function ratchet(cwd: string, args: string[], env: Record<string, string> = {}, timeoutMs = cliTimeoutMs.measure): CliResult {
  const child = spawnSync(process.execPath, [cliBin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: timeoutMs,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A scratch project with its own ratchet.config.json: a tiny CPU suite and short budgets. */
export function scratchProject(config: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-e2e-'));
  writeScratchConfig(dir, config);
  return dir;
}

/** (Re)writes a scratch project's ratchet.config.json: `config` over the tiny CPU suite and short budgets. */
export function writeScratchConfig(dir: string, config: Record<string, unknown> = {}): void {
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
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A CLI run in the background: the test waits for what it prints, then signals it. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves once stderr has printed a line matching `pattern`. */
  printed(pattern: RegExp): Promise<void>;
  done: Promise<CliResult>;
}

export function startRatchet(cwd: string, args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [cliBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const wait of waiting.filter((w) => w.pattern.test(stderr))) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve();
    }
  });
  const done = new Promise<CliResult>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return {
    child,
    done,
    printed: (pattern) => new Promise<void>((resolve, reject) => {
      if (pattern.test(stderr)) return resolve();
      waiting.push({ pattern, resolve });
      void done.then((result) => reject(new Error(`exited (${result.status}) before printing ${pattern}: ${result.stderr}`)));
    }),
  };
}

/** Every file under `dir` with its content (temporaries included): what a command left on disk. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) files[path.slice(dir.length + 1)] = readFileSync(path, 'utf8');
    else if (entry.isDirectory() && readdirSync(path).length === 0) files[`${path.slice(dir.length + 1)}/`] = '';
  }
  return files;
}
