import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RatchetError, attentionBytes, attentionFlops, type AttentionShape, type KernelCode, type RatchetErrorCode, type SampleBatch, type SampleOptions } from '@ratchet/types';
import type { BenchmarkSession, NativeAddon, RawAddon } from './addon.js';
import { builtinProblems } from './problems.js';

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

type IdentityTable = Record<string, Record<string, string>>;

/**
 * The build's kernel-identity.json (native/scripts/kernel-identity.mjs), beside the .node file.
 * A build without one (or an unreadable one) simply has unknown identities: nothing is A/A then.
 */
function readIdentities(addonPath: string): IdentityTable {
  try {
    const file = JSON.parse(readFileSync(join(dirname(addonPath), 'kernel-identity.json'), 'utf8')) as { schemaVersion?: number; kernels?: IdentityTable };
    return file.schemaVersion === 1 && file.kernels && typeof file.kernels === 'object' ? file.kernels : {};
  } catch {
    return {};
  }
}

/** `<arch>:<sha256>` of the code a session runs, from the table; null when not in it. */
export function identityOf(table: IdentityTable, kernel: KernelCode): string | null {
  const hash = kernel.symbol === null ? undefined : table[kernel.arch]?.[kernel.symbol];
  return typeof hash === 'string' ? `${kernel.arch}:${hash}` : null;
}

/** The addon with each opened session stamped with the identity of the code it times. */
function withIdentities(raw: RawAddon, addonPath: string): NativeAddon {
  raw.setErrorClass(NativeRatchetError);
  const table = readIdentities(addonPath);
  return {
    problems: () => builtinProblems,
    loadPlugin: (path) => {
      if (!raw.loadPlugin) throw new RatchetError('ERR_RATCHET_PLUGIN', `${path}: ${addonPath} was built before plugins existed and cannot load one (rebuild it)`);
      return raw.loadPlugin(path);
    },
    compiledBackends: () => raw.compiledBackends(),
    devices: (backend) => raw.devices(backend),
    unavailableReason: (backend) => raw.unavailableReason(backend),
    variants: (backend, benchmark) => raw.variants(backend, benchmark),
    open: (backend, benchmark, options) => {
      const session = raw.open(backend, benchmark, options);
      // Builds from before per-sample clocks and kernel names (a base ref in relative mode) return
      // plain arrays and no kernel: read them as "clock and identity unknown".
      const kernel: KernelCode = session.kernel ?? { arch: backend, symbol: null };
      const sample = session.sample.bind(session);
      if (!session.kernel) Object.defineProperty(session, 'kernel', { value: kernel, enumerable: true });
      // Today's addon runs attention only; the generic harness reports each problem's own work.
      const shape = benchmark as unknown as AttentionShape;
      Object.defineProperties(session, {
        kernelIdentity: { value: identityOf(table, kernel), enumerable: true },
        work: { value: { flops: attentionFlops(shape), bytes: attentionBytes(shape) }, enumerable: true },
        sample: {
          value: (sampleOptions: SampleOptions): SampleBatch => {
            const batch = sample(sampleOptions) as SampleBatch | number[];
            return Array.isArray(batch) ? { samplesMs: batch, clockMHz: null } : batch;
          },
        },
      });
      return session as BenchmarkSession;
    },
  };
}

/**
 * Loads another build of the addon (a base ref built for relative mode) beside ours: each .node
 * file keeps its own state, so the two kernels can be measured in one process.
 */
export function loadNativeFrom(path: string): NativeAddon {
  try {
    return withIdentities(createRequire(import.meta.url)(path) as RawAddon, path);
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
      loaded = withIdentities(require(path) as RawAddon, path);
      return loaded;
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new RatchetError(
    'ERR_RATCHET_NATIVE_LOAD',
    `the native addon could not be loaded (${failures.join('; ')}). Possible solutions: run \`pnpm build\` (or \`node native/scripts/build.mjs\`) on this machine; check that the build used this Node (${process.version}, ${process.platform}-${process.arch}).`,
  );
}
