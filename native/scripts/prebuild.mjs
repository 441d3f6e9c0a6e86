#!/usr/bin/env node
// The binary @ratchet/native is published with, for this platform, in prebuildify's layout:
// prebuilds/<platform>-<arch>/ratchet_native.napi.<libc>.node, with its kernel-identity.json and a
// build-info.json that records its size, sha256 and the oldest glibc it loads on (the loader
// checks them). `pnpm release` refuses to publish without one.
//
//   node native/scripts/prebuild.mjs               # the release build: CUDA for every architecture of
//                                                  # the release list (RATCHET_CUDA_ARCHITECTURES=full,
//                                                  # or the list set there), device code compressed;
//                                                  # long (the Hopper kernels take minutes per
//                                                  # architecture)
//   node native/scripts/prebuild.mjs --reuse-build # the workspace's build/Release as it is (whatever it
//                                                  # compiled): for tests and local packs, not a release
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon, describePlan, missingTools, nativeRoot } from './build-addon.mjs';
import { buildPlan } from './build-plan.mjs';

/** prebuildify's tags: N-API (any Node with N-API 8), and on Linux the C library it links. */
export function prebuiltName(platform = process.platform) {
  return platform === 'linux' ? 'ratchet_native.napi.glibc.node' : 'ratchet_native.napi.node';
}

export const prebuiltDir = (platform = process.platform, arch = process.arch) => join(nativeRoot, 'prebuilds', `${platform}-${arch}`);

/** The newest GLIBC_x.y symbol version the binary links: the oldest glibc it loads on. */
export function glibcNeeded(bytes) {
  const versions = [...bytes.toString('latin1').matchAll(/GLIBC_(\d+)\.(\d+)(?:\.(\d+))?/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]);
  if (versions.length === 0) return null;
  const [major, minor, patch] = versions.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]).at(-1);
  return patch ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
}

/** Copies the build at `addonPath` (and its JSON beside it) into prebuilds/, with the binary's record. */
export function publishBuild(addonPath, outDir = prebuiltDir()) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const file = prebuiltName();
  copyFileSync(addonPath, join(outDir, file));
  copyFileSync(join(dirname(addonPath), 'kernel-identity.json'), join(outDir, 'kernel-identity.json'));
  const bytes = readFileSync(join(outDir, file));
  const info = JSON.parse(readFileSync(join(dirname(addonPath), 'build-info.json'), 'utf8'));
  const binary = { file, bytes: statSync(join(outDir, file)).size, sha256: createHash('sha256').update(bytes).digest('hex'), glibc: process.platform === 'linux' ? glibcNeeded(bytes) : null };
  writeFileSync(join(outDir, 'build-info.json'), `${JSON.stringify({ ...info, binary }, null, 1)}\n`);
  return { path: join(outDir, file), info: { ...info, binary } };
}

function releaseBuild() {
  const env = { ...process.env, RATCHET_CUDA_ARCHITECTURES: process.env.RATCHET_CUDA_ARCHITECTURES || 'full' };
  const plan = buildPlan(env);
  if (!plan.cuda && env.RATCHET_CUDA !== '0') throw new Error(`a release binary carries the CUDA backend, and this machine cannot compile it (${plan.reason}); RATCHET_CUDA=0 makes a CPU-only one`);
  const missing = missingTools();
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} not found on PATH`);
  console.log(`prebuild: compiling ${describePlan(plan)}, device code compressed`);
  return buildAddon({ buildDir: join(nativeRoot, 'build-prebuild'), plan, release: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const built = process.argv.includes('--reuse-build') ? join(nativeRoot, 'build', 'Release', 'ratchet_native.node') : releaseBuild();
    const { path, info } = publishBuild(built);
    const what = info.cuda ? `CPU + CUDA (${info.architectures})` : 'CPU only';
    console.log(`prebuild: ${join(basename(dirname(path)), basename(path))}: ${what}, ${(info.binary.bytes / 2 ** 20).toFixed(1)} MiB${info.binary.glibc ? `, glibc >= ${info.binary.glibc}` : ''}`);
  } catch (error) {
    console.error(`prebuild: ${error.message}`);
    process.exit(1);
  }
}
