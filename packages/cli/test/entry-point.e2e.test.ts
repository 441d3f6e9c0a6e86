// SIGTERM to the README's entry point, `npx pnpm bench`, as a user or a CI runner sends it: to npx.
// npx and pnpm pass no signal on, so scripts/run-steps.mjs (the `bench` script) watches them and
// takes its steps down: the build with everything it started, or `ratchet run`, which stops
// cleanly and writes nothing. A scratch package whose `bench` script is the real run-steps.mjs
// with a stand-in build (one that starts a grandchild, as nx starts cmake and nvcc).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliBin } from './cli-harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const runSteps = join(root, 'scripts/run-steps.mjs');

const launcherMissing = spawnSync('npx', ['--no', 'pnpm', '--version'], { encoding: 'utf8', timeout: 120_000 }).status === 0 ? null : 'no pnpm for `npx --no pnpm` (README: npx -y pnpm@10.34.9)';
if (launcherMissing) console.warn(`entry point signal tests skipped: ${launcherMissing}`);

/** Gone, or a zombie nobody has reaped yet: either way it runs no more. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * A package whose scripts are the repository's: `bench` (run-steps, the build, a stand-in, then
 * `ratchet run`) and `ratchet` (run-steps, then the CLI with the arguments given).
 */
function benchPackage(build: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-entry-'));
  const scripts = { bench: `node ${runSteps} node build.mjs --then node ${cliBin} run --backend cpu`, ratchet: `node ${runSteps} node ${cliBin}` };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'entry', private: true, scripts }));
  writeFileSync(join(dir, 'build.mjs'), build);
  // A budget no run finishes: the test stops it.
  writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({
    suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false }] },
    budgets: { cpu: { warmup: 1, minSamples: 5, maxSamples: 1e9, minTimeMs: 600_000, maxTimeMs: 1_200_000 } },
  }));
  return dir;
}

/** `npx pnpm bench` (or another script) as a shell starts a job (a process group of its own), its output collected. */
function startBench(dir: string, script: string[] = ['bench']): { npx: ChildProcess; output: () => string; closed: () => Promise<boolean> } {
  const npx = spawn('npx', ['--no', 'pnpm', ...script], { cwd: dir, detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  npx.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  npx.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // 'close': every process holding npx's output has ended, the steps included.
  let ended = false;
  npx.on('close', () => (ended = true));
  return { npx, output: () => output, closed: () => until(() => ended) };
}

/** Whether `ready()` comes to hold, checked every 50 ms, within a hang guard far past what a loaded machine needs. */
async function until(ready: () => boolean, guardMs = 120_000): Promise<boolean> {
  for (const started = Date.now(); !ready(); await new Promise((done) => setTimeout(done, 50))) {
    if (Date.now() - started > guardMs) return false;
  }
  return true;
}

describe.skipIf(launcherMissing !== null)('SIGTERM to npx in `npx pnpm bench` (issue 22)', () => {
  it('during the build: the build stops with everything it started, and `ratchet run` never starts', async () => {
    const dir = benchPackage([
      "import { spawn } from 'node:child_process';",
      "import { writeFileSync } from 'node:fs';",
      "const compiler = spawn('sleep', ['1000'], { stdio: 'ignore' });",
      "writeFileSync('build-started', String(compiler.pid));",
      'setInterval(() => {}, 1000);',
      '',
    ].join('\n'));
    const bench = startBench(dir);
    expect(await until(() => existsSync(join(dir, 'build-started')))).toBe(true);
    const compiler = Number(readFileSync(join(dir, 'build-started'), 'utf8'));
    expect(running(compiler)).toBe(true);
    bench.npx.kill('SIGTERM');
    expect(await bench.closed(), bench.output()).toBe(true);
    expect(await until(() => !running(compiler))).toBe(true);
    expect(bench.output()).toMatch(/run-steps: the package manager above ended \(a signal it does not pass on\): stopping/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
    expect(existsSync(join(dir, '.ratchet'))).toBe(false);
  });

  it('during `ratchet run`: it stops as on its own SIGTERM, "interrupted", and writes nothing', async () => {
    const dir = benchPackage("process.stderr.write('built\\n');\n");
    const bench = startBench(dir);
    expect(await until(() => /takes at least .*Ctrl-C stops it\n/.test(bench.output()))).toBe(true);
    bench.npx.kill('SIGTERM');
    expect(await bench.closed(), bench.output()).toBe(true);
    expect(bench.output()).toMatch(/ratchet: interrupted \(SIGTERM\)\n/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
    expect(existsSync(join(dir, '.ratchet/baseline.json'))).toBe(false);
  });
});

describe.skipIf(launcherMissing !== null)('SIGTERM to npx in `npx pnpm -s ratchet <command>` (the README\'s way to the CLI)', () => {
  it('stops the command as its own SIGTERM would (it ran on, orphaned, until it next wrote to a closed pipe)', async () => {
    const dir = benchPackage('');
    const ratchet = startBench(dir, ['-s', 'ratchet', 'run', '--backend', 'cpu']);
    expect(await until(() => /takes at least .*Ctrl-C stops it\n/.test(ratchet.output()))).toBe(true);
    ratchet.npx.kill('SIGTERM');
    expect(await ratchet.closed(), ratchet.output()).toBe(true);
    expect(ratchet.output()).toMatch(/ratchet: interrupted \(SIGTERM\)\n/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});

describe('the package scripts that run the CLI', () => {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  it('bench and bench:* run their steps through run-steps.mjs, never `a && b`, whose steps a signal to npx or pnpm left running', () => {
    const benches = Object.entries(scripts).filter(([name]) => name === 'bench' || name.startsWith('bench:'));
    expect(benches.length).toBeGreaterThan(0);
    for (const [name, command] of benches) expect(command, name).toMatch(/^node scripts\/run-steps\.mjs node scripts\/build-quietly\.mjs --then node \S+/);
  });

  it('ratchet runs the CLI through run-steps.mjs too', () => {
    expect(scripts.ratchet).toBe('node scripts/run-steps.mjs node packages/cli/dist/bin.js');
  });
});
