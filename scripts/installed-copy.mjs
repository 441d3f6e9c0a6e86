// The CLI as an install lays it out, made from this workspace's builds in a second: a
// node_modules/ whose @ratchet/cli and @ratchet/native are copies (the published files: dist/,
// and the addon as a prebuilt binary under prebuilds/<platform>-<arch>/, not a build of its own),
// and whose other packages link to the workspace. For the faults of a published @ratchet/native
// (a damaged or foreign prebuilt binary): a case changes its copy, the workspace stays as it is.
import { cpSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './fault-runner.mjs';

const nativeDir = join(repoRoot, 'native');

function link(nodeModules, name, target) {
  const at = join(nodeModules, name);
  mkdirSync(join(at, '..'), { recursive: true });
  symlinkSync(realpathSync(target), at, 'dir');
}

/** Copies `@ratchet/native` as published from the workspace's build into `dir`, the addon as prebuilt. */
async function copyNative(dir) {
  const { publishBuild, prebuiltName } = await import(join(nativeDir, 'scripts/prebuild.mjs'));
  mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'dist', 'scripts', 'include']) cpSync(join(nativeDir, entry), join(dir, entry), { recursive: true });
  const built = join(nativeDir, 'build/Release/ratchet_native.node');
  const platformDir = `${process.platform}-${process.arch}`;
  publishBuild(built, join(dir, 'prebuilds', platformDir));
  return { dir, prebuilt: join(dir, 'prebuilds', platformDir, prebuiltName()), platformDir };
}

/**
 * Lays out `<root>/node_modules` as above and returns the CLI's bin.js there, with `native`: the
 * copy of @ratchet/native ({ dir, prebuilt: the binary's path, platformDir }) for a case to change.
 */
export async function installedCopy(root) {
  const nodeModules = join(root, 'node_modules');
  const cliDir = join(repoRoot, 'packages/cli');
  const cli = join(nodeModules, '@ratchet/cli');
  mkdirSync(cli, { recursive: true });
  for (const entry of ['package.json', 'dist']) cpSync(join(cliDir, entry), join(cli, entry), { recursive: true });
  const native = await copyNative(join(nodeModules, '@ratchet/native'));
  // Everything else the CLI and the addon's loader import, from where the workspace has it.
  const dependencies = { ...JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')).dependencies, ...JSON.parse(readFileSync(join(nativeDir, 'package.json'), 'utf8')).dependencies };
  for (const name of Object.keys(dependencies).filter((name) => name !== '@ratchet/cli' && name !== '@ratchet/native')) {
    const from = readdirSync(join(cliDir, 'node_modules', ...name.split('/').slice(0, -1))).includes(name.split('/').at(-1)) ? cliDir : nativeDir;
    link(nodeModules, name, join(from, 'node_modules', name));
  }
  return { bin: join(cli, 'dist/bin.js'), native };
}
