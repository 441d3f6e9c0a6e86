// Ratchet as a user gets it, in the order docs/guard-your-kernel.md gives: every package published to
// a local registry (scripts/local-registry.mjs, as install.e2e does), `npm install --save-dev
// @ratchet/cli` from it into a fresh directory with no workspace around it; a kernel of the
// user's own in a git repository of its own (a Python problem, examples/python-cpu, and a C++
// plugin, examples/cpu-plugin, its Makefile copied as is: it finds the header the installed
// @ratchet/native ships); built, checked without a device, committed, then the first runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '@ratchet/types';
import { writeLibraryScript } from './library-script.js';
import { publishWorkspace, startRegistry } from '../../../scripts/local-registry.mjs';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const work = mkdtempSync(join(tmpdir(), 'ratchet-walk-'));
const repo = join(work, 'my-kernels');
let registry: Awaited<ReturnType<typeof startRegistry>>;
const minutes = 60_000;

// A user's shell: none of the npm_* settings pnpm passes to the scripts it runs, nor CI's FORCE_COLOR.
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'FORCE_COLOR'));

function sh(command: string, args: string[], cwd = repo, env: NodeJS.ProcessEnv = {}) {
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...userEnv, NO_COLOR: '1', ...env }, timeout: 10 * minutes });
  return { status: child.status, stdout: child.stdout ?? '', stderr: child.stderr ?? '' };
}
const ratchet = (...args: string[]) => sh(join(repo, 'node_modules/.bin/ratchet'), args);
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=user', '-c', 'user.email=user@example.com', ...args], { cwd: repo, encoding: 'utf8' });
const comparison = () => JSON.parse(readFileSync(join(repo, 'results/comparison.json'), 'utf8')) as Comparison;
/** The build command of the guide: the example's Makefile, copied into kernels/, run as is. */
const build = ['make', '-C', 'kernels'];
/** The .gitignore block of docs/guard-your-kernel.md. */
function guideGitignore(): string {
  const guide = readFileSync(join(workspace, 'docs/guard-your-kernel.md'), 'utf8');
  return /```gitignore\n([\s\S]*?)```/.exec(guide)![1]!;
}
/** What git would commit now: untracked and changed paths. */
const uncommitted = () => git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).map((line) => line.slice(3)).sort();

describe('the guide\'s walk, installed from a registry into a repository of its own', { timeout: 20 * minutes }, () => {
  beforeAll(async () => {
    registry = await startRegistry(join(work, 'registry'));
    publishWorkspace(registry);
    mkdirSync(repo);
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'my-kernels', private: true, type: 'module' }));
    // The registry for this install only (an .npmrc would be one more file in the user's commit).
    const npm = sh('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--loglevel=error', '@ratchet/cli'], repo, { npm_config_registry: registry.url, npm_config_cache: join(work, 'npm-cache') });
    expect(npm.status, npm.stderr).toBe(0);
    cpSync(join(workspace, 'examples/python-cpu'), repo, { recursive: true });
    cpSync(join(workspace, 'examples/cpu-plugin'), join(repo, 'kernels'), { recursive: true, filter: (path) => !/\/(build|results|\.ratchet)$/.test(path) });
    const config = JSON.parse(readFileSync(join(repo, 'ratchet.config.json'), 'utf8')) as { suites: { cpu: unknown[] } };
    writeFileSync(join(repo, 'ratchet.config.json'), JSON.stringify({
      ...config,
      build: { command: build },
      // Whether a first run is steady enough to store depends on the machine's load: not what this test is about.
      thresholds: { newEntryMaxCvPct: 1000 },
      plugins: ['kernels/build/libratchet_matmul.so'],
      suites: { cpu: [...config.suites.cpu, { kernel: 'matmul_f32', M: 96, N: 64, K: 80 }] },
    }, null, 2));
    // The guide's .gitignore, as written there.
    writeFileSync(join(repo, '.gitignore'), guideGitignore());
    git('init', '-q');
  }, 20 * minutes);

  afterAll(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('installs with no @ratchet package left unresolved', () => {
    expect(readdirSync(join(repo, 'node_modules/@ratchet')).sort()).toEqual(['baseline', 'charts', 'ci', 'cli', 'core', 'dashboard', 'files', 'history', 'native', 'peer-torch', 'report', 'stats', 'types']);
    expect(ratchet('--help').stdout).toMatch(/Performance ratchet for GPU kernels/);
  });

  it('builds the plugin with the example\'s Makefile copied as is (the header found in node_modules)', () => {
    const built = sh(build[0]!, build.slice(1));
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/-I\S*node_modules\/@ratchet\/native\/include /);
  });

  it('check: every suite against its problems, no device needed, one line', () => {
    const checked = ratchet('check');
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toBe('check: ratchet.config.json: 3 benchmarks match their problems (cpu: 3 of prefix_sum, matmul_f32)\n');
  });

  it('commits kernel, glue, build files and config before the first run; the guide\'s .gitignore keeps out what was built', () => {
    git('add', '-A');
    git('commit', '-qm', 'my kernel');
    expect(uncommitted()).toEqual([]);
    expect(git('ls-files').split('\n').filter(Boolean).sort()).toEqual(['.gitignore', 'kernels/Makefile', 'kernels/README.md', 'kernels/matmul.cc', 'kernels/ratchet.config.json', 'package-lock.json', 'package.json', 'prefix_sum.py', 'ratchet.config.json']);
  });

  it('lists the problems of both sources beside the built-ins', () => {
    const problems = JSON.parse(ratchet('--json', 'problems', '--backend', 'cpu').stdout) as { name: string; source: { kind: string } }[];
    expect(problems.map((p) => `${p.name}:${p.source.kind}`).sort()).toEqual(['flash_fwd:builtin', 'matmul_f32:plugin', 'prefix_sum:process', 'rmsnorm:builtin']);
  });

  it('run: new, then unchanged and A/A; the baseline and its history written', () => {
    expect(ratchet('run', '--backend', 'cpu').status).toBe(0);
    expect(comparison().counts.new).toBe(3);
    const second = ratchet('run', '--backend', 'cpu');
    expect(second.status, second.stderr).toBe(0);
    expect(comparison().results.every((r) => r.verdict === 'unchanged' && r.aa === true)).toBe(true);
    // Three entries stored; a first run slowed by a loaded machine may also be corrected by the
    // A/A second (a 'correction', never an 'improvement': the code did not change).
    const events = readFileSync(join(repo, '.ratchet/history.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events.slice(0, 3)).toEqual(['new', 'new', 'new']);
    expect(events.slice(3).every((event) => event === 'correction'), events.join(', ')).toBe(true);
    // Every entry records the commit it was measured at: the one a later slowdown is confirmed against.
    const head = git('rev-parse', 'HEAD').trim();
    const baseline = JSON.parse(readFileSync(join(repo, '.ratchet/baseline.json'), 'utf8')) as { devices: Record<string, { benchmarks: Record<string, { sha: string | null }> }> };
    expect(Object.values(baseline.devices).flatMap((d) => Object.values(d.benchmarks).map((entry) => entry.sha))).toEqual([head, head, head]);
    // What the guide says to commit now is all git sees (results/, the run history and the rest ignored).
    expect(uncommitted()).toEqual(['.ratchet/baseline.json', '.ratchet/history.jsonl']);
    git('add', '.ratchet');
    git('commit', '-qm', 'baseline');
  });

  it('a slower commit: run --base HEAD~1 measures both interleaved and fails; run confirms against the baseline commit', () => {
    const source = join(repo, 'prefix_sum.py');
    const slower = readFileSync(source, 'utf8').replace(
      '            self.y = list(itertools.accumulate(self.x))',
      '            self.y = list(itertools.accumulate(self.x))\n            self.y = list(itertools.accumulate(self.x))',
    );
    writeFileSync(source, slower);
    git('commit', '-qam', 'twice the work');
    const relative = ratchet('run', '--backend', 'cpu', '--base', 'HEAD~1', 'prefix_sum/n4096');
    expect(relative.status, relative.stderr).toBe(1);
    expect(comparison()).toMatchObject({ relative: { baseRef: 'HEAD~1' }, counts: { regression: 1 } });
    // The plugin did not change: rebuilt in the base checkout by the config's build command, it is the same code, A/A.
    const plugin = ratchet('run', '--backend', 'cpu', '--base', 'HEAD~1', 'matmul_f32/M96_N64_K80');
    expect(plugin.status, plugin.stderr).toBe(0);
    expect(comparison().results[0]).toMatchObject({ id: 'matmul_f32/M96_N64_K80', verdict: 'unchanged', aa: true });
    const crossRun = ratchet('run', '--backend', 'cpu', '--no-ratchet', 'prefix_sum/n4096');
    expect(crossRun.status, crossRun.stderr).toBe(1);
    expect(crossRun.stderr).toMatch(/confirming 1 cross-run change\(s\) past the threshold against [0-9a-f]{12} \(the baseline's commit\), interleaved/);
  });

  it('autotune, calibrate and ci work on the user\'s kernel', () => {
    expect(ratchet('autotune', '--backend', 'cpu', 'prefix_sum/n4096', '--budget', '3').status).toBe(0);
    const calibrate = ratchet('calibrate', '--backend', 'cpu', 'prefix_sum/n4096', '--trials', '4', '--slowdowns', '300', '--sensitivity-trials', '2', '--thresholds', '50');
    expect(calibrate.status, calibrate.stderr).toBe(0);
    expect(calibrate.stdout).toMatch(/# Calibration: /);
    const ci = ratchet('ci', '--dry-run');
    expect(ci.stdout).toMatch(/prefix\\?_sum\/n4096/); // markdown escapes the underscore
  });

  it('@ratchet/core alone runs the pipeline from a script of the user\'s', () => {
    const script = writeLibraryScript(repo);
    const run = sh('node', [script]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ids: ['matmul_f32/M96_N64_K80', 'prefix_sum/n4096', 'prefix_sum/n65536'], passed: true });
  });
});
