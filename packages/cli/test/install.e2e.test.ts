// Ratchet as a user gets it, from a registry: a real npm registry (Verdaccio, on 127.0.0.1, its
// storage in a temp directory, other packages proxied to the public registry) started here, every
// package published to it by the project's own release command (`pnpm release`, with the
// workspace's addon build as @ratchet/native's prebuilt binary), then `npm install --save-dev
// @ratchet/cli` in a fresh repository whose only registry is that one, and the whole pipeline run
// there on kernels of the user's own: a Python problem (examples/python-cpu), a C++ plugin built
// against the header the installed @ratchet/native ships (examples/cpu-plugin), and a CUDA plugin
// (examples/cuda-plugin, where nvcc is here) that must load and say "no device" on a machine
// without a GPU. The registry stops at the end; nothing is left running.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '@ratchet/types';
import { writeLibraryScript } from './library-script.js';
import { publishWorkspace, repoRoot, startRegistry } from '../../../scripts/local-registry.mjs';

const work = mkdtempSync(join(tmpdir(), 'ratchet-registry-e2e-'));
const repo = join(work, 'my-kernels');
const minutes = 60_000;
/** The Node versions the packages claim (engines of every package.json here). */
const claimedNode = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).engines.node as string;
const nvcc = spawnSync('nvcc', ['--version']).status === 0;

let registry: Awaited<ReturnType<typeof startRegistry>>;
let install: { status: number | null; output: string };

// A user's shell: none of the npm_* settings pnpm passes to the scripts it runs (this test's own
// runner), nor CI's FORCE_COLOR (beside NO_COLOR, Node warns about the pair in every process).
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'FORCE_COLOR'));

function sh(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawnSync(command, args, { cwd: options.cwd ?? repo, encoding: 'utf8', env: { ...userEnv, NO_COLOR: '1', ...options.env }, timeout: 10 * minutes });
  return { status: child.status, stdout: child.stdout ?? '', stderr: child.stderr ?? '' };
}
/** `npx ratchet ...` as the README tells a user to run it. */
const ratchet = (...args: string[]) => sh('npx', ['--no-install', 'ratchet', ...args]);
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=user', '-c', 'user.email=user@example.com', ...args], { cwd: repo, encoding: 'utf8' });
const comparison = () => JSON.parse(readFileSync(join(repo, 'results/comparison.json'), 'utf8')) as Comparison;

/** Every package installed under `nodeModules`, as name -> its package.json. */
function installedPackages(nodeModules: string): Map<string, { version: string; engines?: { node?: string } }> {
  const found = new Map<string, { version: string; engines?: { node?: string } }>();
  const visit = (dir: string) => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        visit(join(dir, name));
        continue;
      }
      const manifest = join(dir, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const parsed = JSON.parse(readFileSync(manifest, 'utf8'));
      found.set(parsed.name, parsed);
      visit(join(dir, name, 'node_modules'));
    }
  };
  visit(nodeModules);
  return found;
}

describe('published to a local registry, installed from it into a repository of its own', { timeout: 20 * minutes }, () => {
  beforeAll(async () => {
    registry = await startRegistry(join(work, 'registry'));
    publishWorkspace(registry);
    cpSync(join(repoRoot, 'examples/python-cpu'), repo, { recursive: true });
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'my-kernels', private: true, type: 'module' }));
    // The user's only registry is the local one; a cache of its own, so nothing comes from elsewhere.
    writeFileSync(join(repo, '.npmrc'), `registry=${registry.url}\n`);
    const npm = sh('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '@ratchet/cli'], { env: { npm_config_cache: join(work, 'npm-cache') } });
    install = { status: npm.status, output: `${npm.stdout}${npm.stderr}` };
  }, 20 * minutes);

  afterAll(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('installs @ratchet/cli with its tree, no EBADENGINE, and only `ratchet` in node_modules/.bin', () => {
    expect(install.status, install.output).toBe(0);
    // No engine, deprecation or install-script warning: npm prints none at all.
    expect(install.output).not.toMatch(/npm warn/i);
    expect(readdirSync(join(repo, 'node_modules/.bin'))).toEqual(['ratchet']);
    const packages = installedPackages(join(repo, 'node_modules'));
    expect([...packages.keys()].sort()).toEqual([
      '@ratchet/baseline', '@ratchet/charts', '@ratchet/ci', '@ratchet/cli', '@ratchet/core', '@ratchet/dashboard', '@ratchet/files', '@ratchet/history',
      '@ratchet/native', '@ratchet/peer-torch', '@ratchet/report', '@ratchet/stats', '@ratchet/types', '@sinclair/typebox',
      'chalk', 'commander', 'hyparquet', 'hyparquet-writer', 'node-addon-api', 'node-api-headers', 'simple-statistics',
    ]);
    // Every Node version the packages claim is one every installed package supports: probed at the
    // lowest one claimed and at the first release of each later major (where an engines range
    // like content-type 3's >=22 or cmake-js 8's ^20.17 || >=22.9 shows).
    const lowest = semver.minVersion(claimedNode)!;
    const probes = [lowest.version, ...Array.from({ length: 7 }, (_, i) => `${lowest.major + 1 + i}.0.0`)];
    const refused = [...packages].flatMap(([name, manifest]) => {
      const range = manifest.engines?.node;
      return range ? probes.filter((node) => !semver.satisfies(node, range)).map((node) => `${name}@${manifest.version} (${range}) refuses Node ${node}`) : [];
    });
    expect(refused).toEqual([]);
    const native = readdirSync(join(repo, 'node_modules/@ratchet/native/prebuilds'));
    expect(native).toEqual([`${process.platform}-${process.arch}`]);
    expect(existsSync(join(repo, 'node_modules/@ratchet/native/build')), 'no source build where the prebuilt binary loads').toBe(false);
  });

  it('npx ratchet runs the installed CLI, and its devices come from the prebuilt binary', () => {
    const version = ratchet('--version');
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')).version);
    const devices = JSON.parse(ratchet('--json', 'devices').stdout) as { backend: string; devices: unknown[] }[];
    expect(devices.find((entry) => entry.backend === 'cpu')!.devices.length).toBe(1);
  });

  it('the CPU main job on the Python example: new, then unchanged and A/A, the history appended', () => {
    // Whether a first run is steady enough to store depends on the machine's load: not what this test is about.
    const config = JSON.parse(readFileSync(join(repo, 'ratchet.config.json'), 'utf8'));
    writeFileSync(join(repo, 'ratchet.config.json'), JSON.stringify({ ...config, thresholds: { newEntryMaxCvPct: 1000 } }, null, 2));
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\nresults/\n.ratchet-cache/\n__pycache__/\nbuild/\n');
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'my kernel');
    const first = ratchet('run', '--backend', 'cpu');
    expect(first.status, first.stderr).toBe(0);
    expect(comparison().counts.new).toBe(2);
    const second = ratchet('run', '--backend', 'cpu');
    expect(second.status, second.stderr).toBe(0);
    expect(comparison().results.every((r) => r.verdict === 'unchanged' && r.aa === true)).toBe(true);
    expect(second.stdout).toMatch(/history: run appended to \.ratchet\/runs\//);
  });

  it('ratchet dashboard draws the history (Vega from @ratchet/charts) into results/dashboard', () => {
    const dashboard = ratchet('--json', 'dashboard');
    expect(dashboard.status, dashboard.stderr).toBe(0);
    expect(JSON.parse(dashboard.stdout)).toMatchObject({ runs: 2, benchmarks: 2, devices: 1 });
    for (const file of ['index.html', 'data.js', 'assets/vega.min.js', 'assets/charts.js']) expect(existsSync(join(repo, 'results/dashboard', file)), file).toBe(true);
  });

  it.skipIf(!nvcc)(`a CUDA plugin built against the installed header loads, and without a GPU is "no device" (exit 3)${nvcc ? '' : ' (skipped: no nvcc here)'}`, () => {
    cpSync(join(repoRoot, 'examples/cuda-plugin'), join(repo, 'cuda'), { recursive: true, filter: (path) => !/\/(build|results|\.ratchet)$/.test(path) });
    execFileSync('make', ['-C', 'cuda', 'RATCHET_INCLUDE=../node_modules/@ratchet/native/include'], { cwd: repo, stdio: 'ignore' });
    const config = JSON.parse(readFileSync(join(repo, 'ratchet.config.json'), 'utf8'));
    writeFileSync(join(repo, 'ratchet.config.json'), JSON.stringify({ ...config, plugins: ['cuda/build/libratchet_axpy.so'], suites: { ...config.suites, cuda: [{ kernel: 'axpy_f32', n: 1 << 20 }] } }, null, 2));
    const problems = ratchet('--json', 'problems', '--backend', 'cpu');
    expect(problems.status, problems.stderr).toBe(0);
    const listed = JSON.parse(problems.stdout) as { name: string; backends: string[]; source: { kind: string } }[];
    expect(listed.find((p) => p.name === 'axpy_f32')).toMatchObject({ backends: ['cuda'], source: { kind: 'plugin' } });
    const gpu = (JSON.parse(ratchet('--json', 'devices').stdout) as { backend: string; devices: unknown[] }[]).find((entry) => entry.backend === 'cuda')!.devices.length > 0;
    const cudaProblems = ratchet('problems', '--backend', 'cuda');
    if (gpu) expect(cudaProblems.status, cudaProblems.stderr).toBe(0);
    else {
      expect(cudaProblems.status, cudaProblems.stderr).toBe(3);
      expect(cudaProblems.stderr).toMatch(/--backend cuda: (no CUDA device|CUDA not compiled in)/);
    }
    // check needs no device: the CUDA suite is checked against the plugin's spec on any machine.
    const checked = ratchet('check');
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/cuda: 1 of axpy_f32/);
    writeFileSync(join(repo, 'ratchet.config.json'), JSON.stringify(config, null, 2));
  });

  it('a C++ plugin built against the installed header: run stores it, run --base against the last commit is A/A', () => {
    cpSync(join(repoRoot, 'examples/cpu-plugin'), join(repo, 'kernels'), { recursive: true, filter: (path) => !/\/(build|results|\.ratchet)$/.test(path) });
    const build = ['make', '-C', 'kernels', 'RATCHET_INCLUDE=../node_modules/@ratchet/native/include'];
    execFileSync(build[0]!, build.slice(1), { cwd: repo, stdio: 'ignore' });
    const config = JSON.parse(readFileSync(join(repo, 'ratchet.config.json'), 'utf8')) as { suites: { cpu: unknown[] } };
    writeFileSync(join(repo, 'ratchet.config.json'), JSON.stringify({
      ...config,
      build: { command: build },
      plugins: ['kernels/build/libratchet_matmul.so'],
      suites: { cpu: [...config.suites.cpu, { kernel: 'matmul_f32', M: 96, N: 64, K: 80 }] },
    }, null, 2));
    git('add', '-A');
    git('commit', '-qm', 'a plugin');
    const plugin = ratchet('run', '--backend', 'cpu');
    expect(plugin.status, plugin.stderr).toBe(0);
    expect(comparison().results.find((r) => r.id === 'matmul_f32/M96_N64_K80')!.verdict).toBe('new');
    git('add', '-A');
    git('commit', '-qm', 'baseline');
    // The plugin did not change: rebuilt in the base checkout by the config's build command, it is the same code.
    const aa = ratchet('run', '--backend', 'cpu', '--base', 'HEAD~1', 'matmul_f32/M96_N64_K80');
    expect(aa.status, aa.stderr).toBe(0);
    expect(comparison().results[0]).toMatchObject({ id: 'matmul_f32/M96_N64_K80', verdict: 'unchanged', aa: true });
  });

  it('@ratchet/core alone runs the pipeline from a script of the user\'s', () => {
    const script = writeLibraryScript(repo);
    const run = sh('node', [script]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ids: ['matmul_f32/M96_N64_K80', 'prefix_sum/n4096', 'prefix_sum/n65536'], passed: true });
  });

  it('RATCHET_BUILD_FROM_SOURCE=1: the first load builds the addon from the sources the package ships, later ones load that build', () => {
    // CPU only (RATCHET_CUDA=0): what is proved is that the shipped sources build, not nvcc's time.
    const first = sh('npx', ['--no-install', 'ratchet', '--json', 'devices'], { env: { RATCHET_BUILD_FROM_SOURCE: '1', RATCHET_CUDA: '0' } });
    expect(first.status, first.stderr).toBe(0);
    const packageRoot = resolve(repo, 'node_modules/@ratchet/native');
    expect(first.stderr).toContain(`@ratchet/native: building from the sources in ${packageRoot} (RATCHET_BUILD_FROM_SOURCE=1) ...\nnative: built the CPU backend only (RATCHET_CUDA=0)\n`);
    // stdout is still the command's JSON alone.
    expect(JSON.parse(first.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ backend: 'cpu' })]));
    expect(readFileSync(join(packageRoot, 'build/Release/build-info.json'), 'utf8')).toContain('"cuda": false');
    const later = ratchet('devices');
    expect(later.status, later.stderr).toBe(0);
    expect(later.stderr).not.toContain('building from the sources');
    expect(later.stdout).toMatch(/cuda:\n {2}none \(CUDA not compiled in/);
  });

  it('pnpm add -D @ratchet/cli in another repository: no build script to approve, and the prebuilt binary runs the main job', () => {
    const other = join(work, 'with-pnpm');
    cpSync(join(repoRoot, 'examples/python-cpu'), other, { recursive: true });
    writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'with-pnpm', private: true }));
    writeFileSync(join(other, '.npmrc'), `registry=${registry.url}\n`);
    const add = sh('npx', ['-y', 'pnpm@10.34.9', 'add', '-D', '@ratchet/cli'], { cwd: other, env: { npm_config_store_dir: join(work, 'pnpm-store') } });
    expect(add.status, `${add.stdout}${add.stderr}`).toBe(0);
    expect(`${add.stdout}${add.stderr}`).not.toMatch(/EBADENGINE|Unsupported engine|Ignored build scripts/);
    const run = sh('npx', ['-y', 'pnpm@10.34.9', 'exec', 'ratchet', 'run', '--backend', 'cpu', '--no-ratchet'], { cwd: other });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(other, 'node_modules/@ratchet/native/build'))).toBe(false);
  });
});
