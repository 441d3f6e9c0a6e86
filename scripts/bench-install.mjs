#!/usr/bin/env node
// What installing Ratchet costs a user: every package published to a local registry (Verdaccio,
// scripts/local-registry.mjs) by `pnpm release --reuse-build` (or with the prebuilt binary already
// in native/prebuilds/, such as prebuild.mjs's release build), then, in fresh directories with a
// fresh npm cache each, `npm install --save-dev @ratchet/cli`: its wall time, the size and package
// count of node_modules, each published tarball's size, and `npx ratchet --version` start-up.
// A first install (not counted) has the registry fetch the third-party packages from the public
// registry, so the ones counted come from the local registry alone, as from a registry close by.
//   pnpm bench:install [--installs 3] [--starts 10]
// Figures go to docs/benchmarks.md by hand, with the command, the machine and the date.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { publishWorkspace, repoRoot, startRegistry } from './local-registry.mjs';

const { values } = parseArgs({ options: { installs: { type: 'string', default: '3' }, starts: { type: 'string', default: '10' } } });
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Bytes of the files under `dir` (symlinks counted as themselves), and how many packages it holds. */
function tree(dir) {
  let bytes = 0;
  let packages = 0;
  const walk = (at) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const info = lstatSync(path);
      if (info.isDirectory()) {
        if (existsSync(join(path, 'package.json')) && !path.endsWith(`${join('node_modules', '.bin')}`)) packages += 1;
        walk(path);
      } else bytes += info.size;
    }
  };
  walk(dir);
  return { bytes, packages };
}

function timed(command, args, cwd, env = {}) {
  const started = performance.now();
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...userEnv, ...env } });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${child.status}):\n${child.stdout}${child.stderr}`);
  return { ms, output: `${child.stdout}${child.stderr}` };
}

/** A fresh repository using only `registry`, with @ratchet/cli installed into it; the install's wall time. */
function install(work, registry, index) {
  const repo = join(work, `repo-${index}`);
  mkdirSync(repo);
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'my-kernels', private: true }));
  writeFileSync(join(repo, '.npmrc'), `registry=${registry.url}\n`);
  const { ms } = timed('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '@ratchet/cli'], repo, { npm_config_cache: join(work, `cache-${index}`) });
  return { repo, ms };
}

const work = mkdtempSync(join(tmpdir(), 'ratchet-bench-install-'));
const registry = await startRegistry(join(work, 'registry'));
try {
  publishWorkspace(registry);
  const storage = join(work, 'registry', 'storage', '@ratchet');
  const tarballs = readdirSync(storage).flatMap((name) => readdirSync(join(storage, name)).filter((file) => file.endsWith('.tgz')).map((file) => ({ name: `@ratchet/${name}`, bytes: statSync(join(storage, name, file)).size })));
  install(work, registry, 'warm-up');
  const installs = Array.from({ length: Number(values.installs) }, (_, index) => install(work, registry, index));
  const { repo } = installs[0];
  const nodeModules = tree(join(repo, 'node_modules'));
  const native = tree(join(repo, 'node_modules/@ratchet/native'));
  const info = JSON.parse(readFileSync(join(repo, 'node_modules/@ratchet/native/prebuilds', `${process.platform}-${process.arch}`, 'build-info.json'), 'utf8'));
  const starts = Array.from({ length: Number(values.starts) }, () => timed('npx', ['--no-install', 'ratchet', '--version'], repo).ms);
  const direct = Array.from({ length: Number(values.starts) }, () => timed(process.execPath, [join(repo, 'node_modules/@ratchet/cli/dist/bin.js'), '--version'], repo).ms);
  const lines = [
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), ${mib(totalmem())} memory, Node ${process.version}, npm ${timed('npm', ['--version'], repo).output.trim()}, ${new Date().toISOString().slice(0, 10)}`,
    `prebuilt binary: ${info.cuda ? `CPU + CUDA ${info.architectures}` : 'CPU only'}, ${mib(info.binary.bytes)}`,
    '',
    '| what | figure |',
    '| --- | --- |',
    `| \`npm install --save-dev @ratchet/cli\`, wall (fresh npm cache; ${installs.length} installs) | median ${(median(installs.map((i) => i.ms)) / 1e3).toFixed(1)} s (${installs.map((i) => (i.ms / 1e3).toFixed(1)).join(', ')}) |`,
    `| node_modules after it | ${mib(nodeModules.bytes)}, ${nodeModules.packages} packages |`,
    `| of which @ratchet/native | ${mib(native.bytes)} |`,
    `| \`npx ratchet --version\` (median of ${starts.length}) | ${median(starts).toFixed(0)} ms |`,
    `| \`node node_modules/@ratchet/cli/dist/bin.js --version\` (median of ${direct.length}) | ${median(direct).toFixed(0)} ms |`,
    '',
    '| tarball | size |',
    '| --- | --- |',
    ...tarballs.sort((a, b) => b.bytes - a.bytes).map((t) => `| ${t.name} | ${(t.bytes / 1024).toFixed(0)} KiB |`),
    `| all ${tarballs.length} | ${mib(tarballs.reduce((total, t) => total + t.bytes, 0))} |`,
  ];
  console.log(lines.join('\n'));
} finally {
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
}
