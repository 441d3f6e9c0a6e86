#!/usr/bin/env node
// @ratchet/native's install script. Where the prebuilt binary for this platform loads, it does
// nothing (and prints nothing): no compiler is needed. It builds from the sources the package
// ships (build.mjs, as the workspace's build does) where none fits or loads, or when asked:
// RATCHET_BUILD_FROM_SOURCE=1 (or npm's --build-from-source). A build that cannot be made fails
// the install, with what is missing. In the repository's checkout it does nothing: `pnpm build`
// builds the addon there.
//
// pnpm (10 and later) runs a dependency's install script only once allowed (`pnpm approve-builds`);
// on linux-x64 nothing is lost, elsewhere the loader's error says how to build it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nativeRoot } from './build-addon.mjs';

/** Why a source build is wanted, or null when the prebuilt binary will do. */
async function reasonToBuild(env) {
  if (env.RATCHET_BUILD_FROM_SOURCE === '1' || env.npm_config_build_from_source === 'true') return 'a build from source was asked for';
  try {
    const { loadNativePackage } = await import(join(nativeRoot, 'dist', 'index.js'));
    loadNativePackage(nativeRoot);
    return null;
  } catch (error) {
    return `no prebuilt binary loads here (${error.message.split('\n')[0].replace(/^.*could not be loaded on /, '')})`;
  }
}

// The published package carries kernels/; the repository's native/ does not.
if (existsSync(join(nativeRoot, 'kernels', 'CMakeLists.txt'))) {
  const reason = await reasonToBuild(process.env);
  if (reason) {
    console.log(`@ratchet/native: ${reason}: building from source`);
    const { buildFromSource } = await import('./build.mjs');
    if (!buildFromSource()) {
      console.error('@ratchet/native: the build from source failed (above); the prebuilt binaries cover linux-x64 with glibc');
      process.exit(1);
    }
  }
}
