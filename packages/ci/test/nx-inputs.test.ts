import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace.js';

const nxBin = join(workspaceRoot, 'node_modules/.bin/nx');
// Its own workspace-data folder: these nx runs never share the project-graph files of the nx run
// that may be running this very test.
const dataDir = mkdtempSync(join(tmpdir(), 'ratchet-nx-data-'));

// The nx running this test (pnpm test) passes its own NX_* settings down, --skip-nx-cache among
// them: none of them may reach these runs, whose cache hits are the point.
const nxEnv = () => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NX_'))),
  NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_WORKSPACE_DATA_DIRECTORY: dataDir, NX_TUI: 'false',
});

function nx(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(nxBin, args, { cwd, encoding: 'utf8', env: { ...nxEnv(), ...env }, timeout: 300_000 });
  expect(result.status, `nx ${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

// Each nx query spends most of its ~5 s waiting, not computing: the read-only ones run at once.
const query = async (args: string[]) => (await promisify(execFile)(nxBin, args, { cwd: workspaceRoot, env: nxEnv(), timeout: 300_000 })).stdout;
const targets = ['@ratchet/native:build', '@ratchet/ci:lint', '@ratchet/ci:test', '@ratchet/report:test', '@ratchet/dashboard:test'];
const files = ['ratchet.config.json', '.ratchet/tuning.json', 'scripts/gpu-host.sh', '.github/workflows/ratchet.yml'];
const inputs: Record<string, { files: string[]; runtime: string[]; environment: string[] }> = {};
const affected: Record<string, string[]> = {};
beforeAll(async () => {
  await Promise.all([
    ...targets.map(async (target) => (inputs[target] = JSON.parse(await query(['show', 'target', 'inputs', target, '--json'])))),
    ...files.map(async (file) => (affected[file] = (await query(['show', 'projects', '--affected', `--files=${file}`])).split('\n').filter(Boolean))),
  ]);
});
const targetInputs = (target: string) => inputs[target]!;
const affectedBy = (file: string) => affected[file]!;

describe('nx inputs: what makes a cached result stale', () => {
  it('the native build depends on the CUDA switches, the nvcc in use and the GPUs present', () => {
    const inputs = targetInputs('@ratchet/native:build');
    expect(inputs.environment).toEqual(expect.arrayContaining(['RATCHET_CUDA', 'RATCHET_CUDA_ARCHITECTURES', 'CUDACXX']));
    // build.mjs --plan prints nvcc's path and release and the architectures it would compile.
    expect(inputs.runtime).toContain('node native/scripts/build.mjs --plan');
    expect(inputs.files).toEqual(expect.arrayContaining(['native/scripts/build-plan.mjs', 'kernels/CMakeLists.txt', 'native/CMakeLists.txt']));
  });

  it('the ci lint and test targets depend on every workflow and on shellcheck', () => {
    for (const target of ['@ratchet/ci:lint', '@ratchet/ci:test']) {
      const inputs = targetInputs(target);
      // action.yml too: actionlint checks ratchet-action.yml's `uses: ./` against its inputs.
      expect(inputs.files, target).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/ratchet.yml', '.github/workflows/ratchet-comment.yml', 'action.yml']));
      expect(inputs.runtime, target).toContain('shellcheck --version || echo no-shellcheck');
    }
  });

  it('the browser tests depend on the Chromium present, so a cached "skipped: no Chromium" is not replayed once it is installed', () => {
    for (const target of ['@ratchet/report:test', '@ratchet/dashboard:test']) {
      const inputs = targetInputs(target);
      expect(inputs.runtime, target).toContain('/usr/bin/chromium --version 2>/dev/null || echo no-chromium');
      expect(inputs.files, target).toContain('scripts/chromium.mjs');
    }
  });
});

describe('nx affected: files outside the packages that change what is timed', () => {
  it.each(['ratchet.config.json', '.ratchet/tuning.json', 'scripts/gpu-host.sh'])('%s marks @ratchet/cli affected (the GPU job runs)', (file) => {
    expect(affectedBy(file)).toContain('@ratchet/cli');
  });
  it('a workflow marks @ratchet/ci affected (its lint runs)', () => {
    expect(affectedBy('.github/workflows/ratchet.yml')).toContain('@ratchet/ci');
  });
});

/**
 * A copy of the workspace's nx setup (nx.json, the native and ci projects with their real inputs)
 * whose build and lint only record that they ran, so a cache hit or miss costs a second.
 */
function scratchWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-nx-cache-'));
  const copy = (path: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(workspaceRoot, path), join(dir, path), { recursive: true });
  };
  for (const path of ['nx.json', 'package.json', 'pnpm-workspace.yaml', 'tsconfig.base.json', 'kernels', 'native/CMakeLists.txt', 'native/scripts', 'native/src', '.github/workflows', 'eslint.config.js']) copy(path);
  symlinkSync(join(workspaceRoot, 'node_modules'), join(dir, 'node_modules'));
  const project = (path: string, target: string) => {
    const manifest = JSON.parse(readFileSync(join(workspaceRoot, path), 'utf8'));
    const config = manifest.nx?.targets?.[target] ?? {};
    const stub = { ...config, command: `node -e "require('fs').mkdirSync('${dirname(path)}/dist', { recursive: true })"`, outputs: [`{projectRoot}/dist`] };
    const scratch = { name: manifest.name, version: manifest.version, nx: { ...manifest.nx, targets: { [target]: stub } } };
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(scratch));
  };
  project('native/package.json', 'build');
  project('packages/ci/package.json', 'lint');
  return dir;
}

const fromCache = (output: string) => /\[(local cache|existing outputs match the cache, left as is)\]/.test(output);

describe('nx cache: a changed input is a cache miss', () => {
  const dir = scratchWorkspace();
  const run = (target: string, env: Record<string, string> = {}) => nx(dir, ['run', target, '--outputStyle=static'], env);

  it('the native build reruns when RATCHET_CUDA or RATCHET_CUDA_ARCHITECTURES changes', () => {
    const cpuOnly = { RATCHET_CUDA: '0', RATCHET_CUDA_ARCHITECTURES: '' };
    run('@ratchet/native:build', cpuOnly);
    expect(fromCache(run('@ratchet/native:build', cpuOnly))).toBe(true);
    expect(fromCache(run('@ratchet/native:build', { ...cpuOnly, RATCHET_CUDA: '1' }))).toBe(false);
    expect(fromCache(run('@ratchet/native:build', { ...cpuOnly, RATCHET_CUDA_ARCHITECTURES: '90-real' }))).toBe(false);
  });

  it('the ci lint reruns when a workflow changes', () => {
    run('@ratchet/ci:lint');
    expect(fromCache(run('@ratchet/ci:lint'))).toBe(true);
    writeFileSync(join(dir, '.github/workflows/ci.yml'), `${readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8')}\n# changed\n`);
    expect(fromCache(run('@ratchet/ci:lint'))).toBe(false);
  });

  it('the ci lint reruns when shellcheck is installed: a result without it is not replayed', () => {
    // A `shellcheck` first on PATH that fails is one that is not there, as on a clean machine.
    const absent = mkdtempSync(join(tmpdir(), 'ratchet-no-shellcheck-'));
    writeFileSync(join(absent, 'shellcheck'), '#!/bin/sh\nexit 127\n', { mode: 0o755 });
    const present = mkdtempSync(join(tmpdir(), 'ratchet-shellcheck-'));
    writeFileSync(join(present, 'shellcheck'), '#!/bin/sh\necho "ShellCheck - shell script analysis tool"; echo "version: 0.9.0"\n', { mode: 0o755 });
    const withShellcheck = (dir: string) => ({ PATH: `${dir}:${process.env.PATH}` });
    run('@ratchet/ci:lint', withShellcheck(absent));
    expect(fromCache(run('@ratchet/ci:lint', withShellcheck(absent)))).toBe(true);
    expect(fromCache(run('@ratchet/ci:lint', withShellcheck(present)))).toBe(false);
  });
});
