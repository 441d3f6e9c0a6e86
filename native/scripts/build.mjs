#!/usr/bin/env node
// Builds the addon with cmake-js, offline (node-api-headers; nothing downloaded). The CUDA
// backend is compiled when nvcc is found, unless RATCHET_CUDA=0; RATCHET_CUDA_ARCHITECTURES
// narrows the GPU targets (default 80-real;89-real;90-real;90-virtual). cmake-js ignores new
// options once build/CMakeCache.txt exists, so a changed choice triggers a clean rebuild.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIdentity } from './kernel-identity.mjs';
import { sourceHash } from './source-hash.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'build', 'ratchet-build.json');

function findNvcc() {
  const candidates = [process.env.CUDACXX, 'nvcc', '/usr/local/cuda/bin/nvcc'].filter(Boolean);
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate === 'nvcc' ? execFileSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).trim() : candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

const nvcc = process.env.RATCHET_CUDA === '0' ? null : findNvcc();
const wanted = {
  cuda: nvcc !== null,
  nvcc,
  architectures: process.env.RATCHET_CUDA_ARCHITECTURES ?? '',
  node: process.version,
};
const previous = existsSync(stamp) ? readFileSync(stamp, 'utf8') : null;
const command = previous === JSON.stringify(wanted) ? 'compile' : 'rebuild';

// Hashed before compiling: an edit made while the build runs then reads as a stale build.
const builtFrom = sourceHash(join(root, '..'));
const cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
const args = [cmakeJs, command, '--directory', root, `--CDRATCHET_CUDA=${wanted.cuda ? 'ON' : 'OFF'}`];
if (nvcc) args.push(`--CDCMAKE_CUDA_COMPILER=${nvcc}`);
if (wanted.architectures) args.push(`--CDCMAKE_CUDA_ARCHITECTURES=${wanted.architectures}`);
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
  cpuObjects: ['cpu_attention.cc.o', 'cpu_rmsnorm.cc.o'].map((file) => join(root, 'build', 'CMakeFiles', 'ratchet_native.dir', 'src', 'builtin', file)),
});
writeFileSync(join(root, 'build', 'Release', 'kernel-identity.json'), `${JSON.stringify(identity, null, 1)}\n`);
// Which sources this build is made from, so a run can warn when the checkout has changed since.
const buildInfo = { schemaVersion: 1, sourceHash: builtFrom, builtAt: new Date().toISOString(), cuda: wanted.cuda, architectures: wanted.architectures || null, node: process.version };
writeFileSync(join(root, 'build', 'Release', 'build-info.json'), `${JSON.stringify(buildInfo, null, 1)}\n`);
console.log(`native: built ${wanted.cuda ? `CPU + CUDA backends (nvcc ${nvcc}${wanted.architectures ? `, ${wanted.architectures}` : ''})` : 'the CPU backend only (no nvcc, or RATCHET_CUDA=0)'}`);
