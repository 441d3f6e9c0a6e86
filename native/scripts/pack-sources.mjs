#!/usr/bin/env node
// The kernels live beside native/ in the repository (kernels/, CUDA only), but a published
// @ratchet/native must build from its own files where no prebuilt binary fits: the package's
// prepack copies what the build compiles into native/kernels/, its postpack removes the copy.
//   node scripts/pack-sources.mjs copy | remove
// Left out: kernels/dev (development benchmarks and models) and the nx project file.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeRoot } from './build-addon.mjs';

const from = join(nativeRoot, '..', 'kernels');
const to = join(nativeRoot, 'kernels');
const compiled = /(\.(cu|cuh|h)|CMakeLists\.txt)$/;

export function copyKernels() {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true, filter: (path) => path === from || (basename(path) !== 'dev' && compiled.test(basename(path))) });
}

export const removeKernels = () => rmSync(to, { recursive: true, force: true });

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const action = process.argv[2];
  // Only in the repository: an unpacked package has kernels/ and nothing beside it to copy from.
  if (!existsSync(join(from, 'CMakeLists.txt'))) process.exit(0);
  if (action === 'copy') copyKernels();
  else if (action === 'remove') removeKernels();
  else {
    console.error('usage: node scripts/pack-sources.mjs copy|remove');
    process.exit(2);
  }
}
