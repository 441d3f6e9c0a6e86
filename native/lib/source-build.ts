// A build of the addon from the sources the package ships, asked for with RATCHET_BUILD_FROM_SOURCE=1:
// where no prebuilt binary fits this machine, or to build against another CUDA toolkit. Done by
// the first load that finds no build of the package's own (later loads take that build), not at
// install time: npm (11.16 on) warns about every dependency with an install script and will skip
// them by default, as pnpm 10 already does, so a build there would run for almost no one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { buildCandidates } from './binaries.js';

/** Whether a load of the package at `root` should build it first. */
export const wantsSourceBuild = (root: string, env: NodeJS.ProcessEnv = process.env) =>
  env.RATCHET_BUILD_FROM_SOURCE === '1' && !buildCandidates(root).some((path) => existsSync(path));

/**
 * Runs the package's scripts/build.mjs (cmake, a C++17 compiler; nvcc adds the CUDA backend), its
 * lines on stderr: stdout stays the command's own (`--json`). Throws when the build fails.
 */
export function buildFromSource(root: string): void {
  process.stderr.write(`@ratchet/native: building from the sources in ${root} (RATCHET_BUILD_FROM_SOURCE=1) ...\n`);
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    throw new RatchetError(
      'ERR_RATCHET_NATIVE_LOAD',
      `the native addon could not be built from source in ${root} (RATCHET_BUILD_FROM_SOURCE=1; exit ${build.status ?? build.signal}): its output is above`,
    );
  }
}
