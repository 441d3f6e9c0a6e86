#!/usr/bin/env node
// Builds the addon with cmake-js, offline (node-api-headers; nothing downloaded). What is compiled
// (the CPU backend always; the CUDA backend for which architectures) comes from build-plan.mjs:
// RATCHET_CUDA=0, RATCHET_CUDA_ARCHITECTURES (a list, or `full` for the release build), else the
// GPUs present. `--plan` prints that decision as JSON and builds nothing (an nx runtime input).
// cmake-js ignores new options once build/CMakeCache.txt exists, so a changed plan triggers a
// clean rebuild.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan } from './build-plan.mjs';
import { buildIdentity } from './kernel-identity.mjs';
import { harnessHash, kernelSources, sourceHash } from './source-hash.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'build', 'ratchet-build.json');

const wanted = buildPlan();
if (process.argv.includes('--plan')) {
  console.log(JSON.stringify(wanted));
  process.exit(0);
}

// The system tools cmake-js drives: say which one is missing, once, before anything is touched.
const tools = [
  ['cmake', ['--version'], 'cmake >= 3.18'],
  [process.env.CXX || 'c++', ['--version'], 'a C++17 compiler (g++ or clang++; CXX names another)'],
];
const missing = tools.filter(([tool, args]) => {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  console.error(`native: ${missing.map(([, , what]) => what).join(' and ')} not found on PATH; install ${missing.length === 1 ? 'it' : 'them'} (Debian/Ubuntu: apt-get install -y cmake g++ make) and build again`);
  process.exit(1);
}

const previous = existsSync(stamp) ? readFileSync(stamp, 'utf8') : null;
const command = previous === JSON.stringify(wanted) ? 'compile' : 'rebuild';

// Hashed before compiling: an edit made while the build runs then reads as a stale build.
const builtFrom = sourceHash(join(root, '..'));
const harnessFrom = harnessHash(join(root, '..'));
const cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
const args = [cmakeJs, command, '--directory', root, `--CDRATCHET_CUDA=${wanted.cuda ? 'ON' : 'OFF'}`];
if (wanted.cuda) args.push(`--CDCMAKE_CUDA_COMPILER=${wanted.nvcc}`, `--CDCMAKE_CUDA_ARCHITECTURES=${wanted.architectures}`);
const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  console.error(`native: cmake-js ${command} failed (exit ${result.status})`);
  process.exit(1);
}
writeFileSync(stamp, JSON.stringify(wanted));
// Beside the addon: which machine code each kernel compiled to (results record it; equal hashes
// on both sides of a relative run mean an A/A comparison).
const identity = buildIdentity({
  deviceCodeDir: join(root, 'build', 'device-code'),
  // The CPU kernels' translation units, the ones the harness hash leaves out (source-hash.mjs).
  cpuObjects: kernelSources.filter((file) => file.endsWith('.cc')).map((file) => join(root, 'build', 'CMakeFiles', 'ratchet_native.dir', 'src', 'builtin', `${basename(file)}.o`)),
});
writeFileSync(join(root, 'build', 'Release', 'kernel-identity.json'), `${JSON.stringify(identity, null, 1)}\n`);
// Which sources this build is made from, so a run can warn when the checkout has changed since.
// harnessHash: the sources less the kernels', so `run --base` can tell two builds time alike.
const buildInfo = { schemaVersion: 1, sourceHash: builtFrom, harnessHash: harnessFrom, builtAt: new Date().toISOString(), cuda: wanted.cuda, architectures: wanted.architectures || null, node: process.version };
writeFileSync(join(root, 'build', 'Release', 'build-info.json'), `${JSON.stringify(buildInfo, null, 1)}\n`);
console.log(`native: built ${wanted.cuda ? `CPU + CUDA backends (nvcc ${wanted.nvcc}, ${wanted.architectures}: ${wanted.reason})` : `the CPU backend only (${wanted.reason})`}`);
