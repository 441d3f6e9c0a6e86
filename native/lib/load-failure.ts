// The one error a failed load throws: every binary tried and why it did not load, then what to do
// about it, as sharp's loader says it ("Possible solutions:"). The first line carries the causes,
// the solutions follow one per line.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RatchetError } from '@ratchet/types';
import { buildInfo } from './build-info.js';
import { platformDir, prebuiltCandidates, prebuiltPlatforms, type Platform } from './binaries.js';

/** One binary that did not load, and why (a reason starting "corrupted" is one reinstalling mends). */
export interface LoadFailure {
  path: string;
  reason: string;
}

const buildFromSourceNeeds = 'cmake >= 3.18, a C++17 compiler, and make or ninja; nvcc adds the CUDA backend';

/** What the prebuilt binaries of this package need, for the line that lists them. */
function prebuiltSummary(packageRoot: string): string {
  return prebuiltPlatforms(packageRoot).map((dir) => {
    const [platform, arch] = dir.split('-') as [string, string];
    const glibc = prebuiltCandidates(packageRoot, { platform, arch }).map((path) => buildInfo(path)?.binary?.glibc).find(Boolean);
    return glibc ? `${dir} (glibc >= ${glibc})` : dir;
  }).join(', ');
}

function solutions(packageRoot: string, failures: LoadFailure[]): string[] {
  // The repository's checkout has kernels/ beside native/, a published package inside it.
  if (!existsSync(join(packageRoot, 'kernels'))) {
    return [`build it on this machine: \`pnpm build\` (or \`node native/scripts/build.mjs\`; it needs ${buildFromSourceNeeds})`];
  }
  const lines: string[] = [];
  if (failures.some((failure) => failure.reason.startsWith('corrupted'))) {
    lines.push('reinstall the package, whose files were damaged after install: `rm -rf node_modules/@ratchet/native && npm install`');
  }
  lines.push(
    `build it from the sources this package ships (needs ${buildFromSourceNeeds}): run the command again with RATCHET_BUILD_FROM_SOURCE=1 ` +
      `(the first load builds it, later ones use that build), or \`node ${join(packageRoot, 'scripts', 'build.mjs')}\``,
  );
  const prebuilt = prebuiltSummary(packageRoot);
  lines.push(prebuilt ? `install where a prebuilt binary fits: this version has ${prebuilt}, for Node >= 20.19` : 'this copy of the package has no prebuilt binary at all: install a published version');
  return lines;
}

/**
 * The error for a package at `packageRoot` from which no binary loaded, on `platform`: `failures`
 * lists each binary tried (none: nothing there to try).
 */
export function loadFailureError(packageRoot: string, platform: Platform, failures: LoadFailure[]): RatchetError {
  const where = `${platformDir(platform)}, Node ${process.version}`;
  const tried = failures.length > 0
    ? failures.map((failure) => `${relative(packageRoot, failure.path)}: ${failure.reason}`).join('; ')
    : `no build in build/Release and no prebuilt binary for ${platformDir(platform)} in prebuilds/`;
  const message = [
    `the native addon (@ratchet/native at ${packageRoot}) could not be loaded on ${where}: ${tried}`,
    'Possible solutions:',
    ...solutions(packageRoot, failures).map((line) => `- ${line}`),
  ].join('\n');
  return new RatchetError('ERR_RATCHET_NATIVE_LOAD', message);
}
