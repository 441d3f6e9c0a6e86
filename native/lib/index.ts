import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RatchetError, type RatchetErrorCode } from '@ratchet/types';
import type { NativeAddon, RawAddon } from './addon.js';

export type { BenchmarkSession, NativeAddon, OpenOptions, SampleOptions } from './addon.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const candidates = [join(packageRoot, 'build/Release/ratchet_native.node'), join(packageRoot, 'build/Debug/ratchet_native.node')];

/** Native errors arrive as RatchetErrors: C++ calls this with a code and a message. */
class NativeRatchetError extends RatchetError {
  constructor(code: string, message: string) {
    super(code as RatchetErrorCode, message);
  }
}

let loaded: NativeAddon | undefined;

/**
 * Loads another build of the addon (a base ref built for relative mode) beside ours: each .node
 * file keeps its own state, so the two kernels can be measured in one process.
 */
export function loadNativeFrom(path: string): NativeAddon {
  try {
    const addon = createRequire(import.meta.url)(path) as RawAddon;
    addon.setErrorClass(NativeRatchetError);
    return addon;
  } catch (error) {
    throw new RatchetError('ERR_RATCHET_NATIVE_LOAD', `${path}: the addon could not be loaded (${(error as Error).message.split('\n')[0]})`);
  }
}

/**
 * Loads the addon once. Tries each candidate build, collects every failure and throws once
 * with what to do about it.
 */
export function loadNative(): NativeAddon {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      failures.push(`${path}: not built`);
      continue;
    }
    try {
      const addon = require(path) as RawAddon;
      addon.setErrorClass(NativeRatchetError);
      loaded = addon;
      return addon;
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new RatchetError(
    'ERR_RATCHET_NATIVE_LOAD',
    `the native addon could not be loaded (${failures.join('; ')}). Possible solutions: run \`pnpm build\` (or \`node native/scripts/build.mjs\`) on this machine; check that the build used this Node (${process.version}, ${process.platform}-${process.arch}).`,
  );
}
