#!/usr/bin/env node
// `pnpm release`: publishes every @ratchet package whose version the registry does not have yet,
// in one go (changesets' publish: `pnpm publish` per package, workspace:* turned into versions).
// Before that: everything built, and @ratchet/native's prebuilt binary present (prebuild.mjs).
// The registry is npm's configuration (`npm_config_registry`, .npmrc), like any publish.
//
//   pnpm release [changeset publish options]   # e.g. --tag next, --no-git-tag
//   pnpm release --reuse-build [...]          # the workspace as built (no build step; after
//                                             # `pnpm build`), its own addon build as the prebuilt
//                                             # binary (whatever it compiled): a local registry's
//                                             # test, never a release. A prebuilt binary already
//                                             # there is used as it is; one made here is removed after.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const platformDir = join(root, 'native', 'prebuilds', `${process.platform}-${process.arch}`);
const args = process.argv.slice(2);
const reuseBuild = args.includes('--reuse-build');
const publishArgs = args.filter((arg) => arg !== '--reuse-build');

/** Runs a step to the end; false (having said which failed) when it did not succeed. */
function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status === 0) return true;
  console.error(`release: ${[command, ...commandArgs].map((part) => part.replace(root, '.')).join(' ')} failed (exit ${result.status ?? result.signal})`);
  return false;
}

/** What the prebuilt binary for this platform carries, in a line; null when there is none. */
function prebuiltSummary() {
  const info = existsSync(join(platformDir, 'build-info.json')) ? JSON.parse(readFileSync(join(platformDir, 'build-info.json'), 'utf8')) : null;
  if (!info?.binary || !readdirSync(platformDir).includes(info.binary.file)) return null;
  return `${info.binary.file}: ${info.cuda ? `CPU + CUDA ${info.architectures}` : 'CPU only'}, ${(info.binary.bytes / 2 ** 20).toFixed(1)} MiB, glibc >= ${info.binary.glibc}`;
}

/** Publishes with the prebuilt binary in place; false when a step failed. */
function publish() {
  const prebuilt = prebuiltSummary();
  if (!prebuilt) {
    console.error('release: @ratchet/native has no prebuilt binary for this platform: run `node native/scripts/prebuild.mjs` first (the CUDA build for every architecture: long)');
    return false;
  }
  console.log(`release: @ratchet/native ships ${prebuilt}`);
  return run(join(root, 'node_modules/.bin/changeset'), ['publish', ...publishArgs]);
}

// A test under `nx run-many -t test` has its build already, and must not start a second nx.
if (!reuseBuild && !run(process.execPath, [join(root, 'scripts/build-quietly.mjs')])) process.exit(1);
const madeHere = reuseBuild && prebuiltSummary() === null;
let published = false;
try {
  published = (!madeHere || run(process.execPath, [join(root, 'native/scripts/prebuild.mjs'), '--reuse-build'])) && publish();
} finally {
  if (madeHere) rmSync(join(root, 'native', 'prebuilds'), { recursive: true, force: true });
}
process.exit(published ? 0 : 1);
