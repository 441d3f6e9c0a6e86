import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RatchetError, type Backend, type ProblemSpec, type RatchetErrorCode } from '@ratchet/types';
import type { BenchmarkSession, NativeAddon, RawAddon, RawSession } from './addon.js';
import { binaryMismatch, buildCandidates, currentPlatform, loadFailureCause, prebuiltCandidates } from './binaries.js';
import { adaptAddon } from './compat.js';
import { archOf, composeIdentity, lookupKernelCode, type IdentityTable } from './identity.js';
import { readIdentityFile } from './identity-file.js';
import { loadFailureError, type LoadFailure } from './load-failure.js';
import { buildFromSource, wantsSourceBuild } from './source-build.js';
import { missingDeviceCode, pluginKernelCode, readPluginCode, type PluginCode } from './plugin-code.js';

export type { BenchmarkSession, KernelLaunch, NativeAddon, OpenOptions, SampleOptions } from './addon.js';
export { archOf, composeIdentity, lookupKernelCode, runnableCode, type IdentifiedKernel, type IdentityParts, type IdentityTable } from './identity.js';
export { buildHarness, buildInfo, harnessFileList, harnessHash, kernelSourcePatterns, sourceFileList, sourceHash, type BinaryRecord, type BuildInfo } from './build-info.js';
export { currentPlatform, prebuiltCandidates, type Platform } from './binaries.js';
export { identityFileProblem, identityFilePath } from './identity-file.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The builds of this package loadNative tries first, in order; then its prebuilt binaries for this platform. */
export const addonCandidates = buildCandidates(packageRoot);

/** Native errors arrive as RatchetErrors: C++ calls this with a code and a message. */
class NativeRatchetError extends RatchetError {
  constructor(code: string, message: string) {
    super(code as RatchetErrorCode, message);
  }
}

let loaded: NativeAddon | undefined;
let loadedPath: string | undefined;

/**
 * The build's kernel-identity.json (identity-file.ts). A build without one (or an unreadable one)
 * simply has unknown identities: nothing is A/A then.
 */
function readIdentities(addonPath: string): IdentityTable {
  const read = readIdentityFile(addonPath);
  return 'table' in read ? read.table : {};
}

interface SessionContext {
  backend: Backend;
  /** Whether the build's sessions report what an identity is composed of (compat.ts). */
  identifies: boolean;
  table: IdentityTable;
  problem: ProblemSpec | undefined;
  plugins: ReadonlyMap<string, PluginCode | null>;
}

/** The identity of an open session (identity.ts); null where any part of it is unknown. */
function identityOf(session: RawSession, context: SessionContext): string | null {
  if (!context.identifies) return null;
  const source = context.problem?.source;
  const plugin = source?.kind === 'plugin' ? (context.plugins.get(source.path) ?? null) : null;
  if (context.backend === 'cpu') {
    const symbol = session.kernel.symbol;
    const code = source?.kind === 'plugin' ? (plugin?.hostCode ?? null) : symbol === null ? null : (context.table.cpu?.[symbol] ?? null);
    return composeIdentity({ arch: 'cpu', variant: session.variant, code });
  }
  if (!session.launches || !session.graphNodes) return null;
  const cc = session.device.computeCapability;
  const codeOf = (name: string | null) => (source?.kind === 'plugin' ? (plugin ? pluginKernelCode(plugin, cc, name) : null) : lookupKernelCode(context.table, cc, name));
  return composeIdentity({
    arch: archOf(cc) ?? session.kernel.arch,
    variant: session.variant,
    kernels: session.launches.map((launch) => ({ ...launch, code: codeOf(launch.name) })),
    graphNodes: session.graphNodes,
    ...(source?.kind === 'plugin' ? { hostCode: plugin?.hostCode ?? null } : {}),
  });
}

/** A raw session with its identity: composed here from the build's machine code and the captured launch. */
function finishSession(session: RawSession, context: SessionContext): BenchmarkSession {
  const kernelIdentity = identityOf(session, context);
  return {
    backend: session.backend,
    variant: session.variant,
    device: session.device,
    kernel: session.kernel,
    work: session.work,
    launches: session.launches,
    graphNodes: session.graphNodes,
    kernelIdentity,
    // Whenever it is known it covers all the code that runs (a plugin's too: its fatbin, or a CPU
    // library's whole code).
    identityCoversCode: kernelIdentity !== null,
    check: () => session.check(),
    sample: (options) => session.sample(options),
    clock: () => session.clock(),
    close: () => session.close(),
  };
}

/**
 * A plugin loaded into `raw`: first its device code is read (the TypeScript side owns ELF and
 * fatbin parsing), and a library with none for this GPU is refused before it is opened.
 */
function loadPluginInto(raw: RawAddon, path: string, plugins: Map<string, PluginCode | null>): ProblemSpec[] {
  const absolute = resolve(path);
  const code = existsSync(absolute) ? readPluginCode(absolute) : null;
  const gpu = raw.devices('cuda')[0];
  const missing = code && gpu ? missingDeviceCode(code, { name: gpu.name, computeCapability: gpu.computeCapability }) : null;
  if (missing) throw new RatchetError('ERR_RATCHET_PLUGIN', `${path}: ${missing}`, { file: path });
  const specs = raw.loadPlugin(absolute, code?.deviceCode ?? '');
  for (const spec of specs) if (spec.source.kind === 'plugin') plugins.set(spec.source.path, code);
  return specs;
}

/** The module of the .node file at `addonPath`, with problems, plugins and each opened session's identity completed in TypeScript. */
function withProblems(module: object, addonPath: string): NativeAddon {
  const { addon: raw, identifiesSessions } = adaptAddon(module, addonPath);
  raw.setErrorClass(NativeRatchetError);
  const table = readIdentities(addonPath);
  const plugins = new Map<string, PluginCode | null>();
  return {
    problems: () => raw.problems(),
    loadPlugin: (path) => loadPluginInto(raw, path, plugins),
    compiledBackends: () => raw.compiledBackends(),
    devices: (backend) => raw.devices(backend),
    unavailableReason: (backend) => raw.unavailableReason(backend),
    variants: (backend, benchmark, device) => raw.variants(backend, benchmark, device),
    open: (backend, benchmark, options) => {
      const session = raw.open(backend, benchmark, options);
      const problem = raw.problems().find((p) => p.name === benchmark.kernel);
      return finishSession(session, { backend, identifies: identifiesSessions, table, problem, plugins });
    },
  };
}

/**
 * Loads another build of the addon (a base ref built for relative mode) beside ours: each .node
 * file keeps its own state, so the two kernels can be measured in one process.
 */
export function loadNativeFrom(path: string): NativeAddon {
  // require() reads a bare relative path as a package name: resolve it against the working directory.
  const absolute = resolve(path);
  try {
    return withProblems(createRequire(import.meta.url)(absolute) as object, absolute);
  } catch (error) {
    throw new RatchetError('ERR_RATCHET_NATIVE_LOAD', `${path}: the addon could not be loaded (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Every binary loadNative would try in the package at `root`, in order: its builds, then its prebuilt ones. */
function candidatesIn(root: string): string[] {
  return [...buildCandidates(root), ...prebuiltCandidates(root, currentPlatform())].filter((path) => existsSync(path));
}

/** The path of the addon loadNative() loads (or would try first); null when there is none. */
export function nativeAddonPath(): string | null {
  return loadedPath ?? candidatesIn(packageRoot)[0] ?? null;
}

/** One candidate loaded, or why not (binaries.ts's checks first, then the loader's own error explained). */
function tryLoad(path: string): { addon: NativeAddon } | { reason: string } {
  const mismatch = binaryMismatch(path);
  if (mismatch) return { reason: mismatch };
  try {
    return { addon: withProblems(createRequire(import.meta.url)(path) as object, path) };
  } catch (error) {
    const said = (error as Error).message.split('\n')[0]!.replace(`${path}: `, '');
    const cause = loadFailureCause(path);
    return { reason: cause ? `${cause} (${said})` : said };
  }
}

/**
 * The addon of the @ratchet/native package at `root`: a build of its own (build/Release) when
 * there is one, else its prebuilt binary for this platform; with RATCHET_BUILD_FROM_SOURCE=1 and
 * no build of its own, it is built first (source-build.ts). Tries each, collects every failure
 * and throws once with what to do about it (load-failure.ts). Each call loads anew.
 */
export function loadNativePackage(root: string): { addon: NativeAddon; path: string } {
  if (wantsSourceBuild(root)) buildFromSource(root);
  const failures: LoadFailure[] = [];
  for (const path of candidatesIn(root)) {
    const attempt = tryLoad(path);
    if ('addon' in attempt) return { addon: attempt.addon, path };
    failures.push({ path, reason: attempt.reason });
  }
  throw loadFailureError(root, currentPlatform(), failures);
}

/** This package's addon (loadNativePackage), loaded once. */
export function loadNative(): NativeAddon {
  if (!loaded) {
    const found = loadNativePackage(packageRoot);
    [loaded, loadedPath] = [found.addon, found.path];
  }
  return loaded;
}
