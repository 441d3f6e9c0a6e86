// Builds of the addon from other versions of Ratchet (a base ref built for `run --base`) export
// older surfaces; this is the one place that knows them, and presents each as the current one
// (addon.ts). A build says its version in `surfaceVersion` (src/addon.cc); builds before 4 say
// none, and differ in what they export:
//   1  6120e5e  the CPU backend: sample() returns plain milliseconds; no kernel, no problems()
//   2  b70baa6  per-sample SM clocks and kernel names: sample() returns { samplesMs, clockMHz }
//   3  d430868  the Problem ABI: problems(), loadPlugin(), a session's work, launches, graphNodes
//   4           check() and sample() return Promises: their work runs off the main thread
import { RatchetError, type Backend, type Benchmark, type ClockReading, type Correctness, type ProblemSpec, type SampleBatch, type SampleOptions, type Work } from '@ratchet/types';
import type { KernelLaunch, OpenOptions, RawAddon, RawSession } from './addon.js';

/** The newest surface this loader reads: what this checkout's addon exports. */
export const surfaceVersion = 4;

/** A session of a build before version 4: synchronous, and missing what came later. */
interface OldSession {
  readonly backend: Backend;
  readonly variant: string;
  readonly device: RawSession['device'];
  readonly kernel?: RawSession['kernel'];
  readonly work?: Work;
  readonly launches?: KernelLaunch[] | null;
  readonly graphNodes?: string[] | null;
  check(): Correctness;
  sample(options: SampleOptions): SampleBatch | number[];
  clock(): ClockReading;
  close(): void;
}

/** The module of a build before version 4. */
interface OldAddon extends Omit<RawAddon, 'surfaceVersion' | 'problems' | 'loadPlugin' | 'open'> {
  problems?(): ProblemSpec[];
  loadPlugin?(path: string, deviceCode: string): ProblemSpec[];
  open(backend: Backend, benchmark: Benchmark, options?: OpenOptions): OldSession;
}

/** What builds before version 3 time: attention alone, declared by none of them. */
export const legacyProblems: ProblemSpec[] = [
  {
    name: 'flash_fwd',
    summary: 'attention forward O = softmax(Q K^T / sqrt(D)) V over [B, H, S, D] tensors',
    params: [
      { name: 'dtype', type: 'enum', values: ['fp16', 'bf16'] },
      { name: 'B', type: 'int', min: 1, max: 65535, description: 'batch' },
      { name: 'H', type: 'int', min: 1, max: 65535, description: 'heads' },
      { name: 'S', type: 'int', min: 1, max: 2 ** 30, description: 'sequence length (queries and keys)' },
      { name: 'D', type: 'int', min: 1, max: 256, description: 'head dim' },
      { name: 'causal', type: 'bool', description: 'mask keys after the query' },
    ],
    variants: ['mma_br64_bc64_w4', 'mma_br128_bc64_w8', 'mma_br128_bc32_w8', 'cpu-blocked', 'cpu-rowwise'],
    backends: ['cpu', 'cuda'],
    source: { kind: 'builtin' },
  },
];

/** Attention's work as the built-in problem declares it (src/builtin/attention/spec.h). */
function legacyWork(benchmark: Benchmark): Work {
  const [B, H, S, D] = (['B', 'H', 'S', 'D'] as const).map((name) => Number(benchmark[name]));
  const full = 4 * B! * H! * S! * S! * D!;
  return { flops: benchmark.causal === true ? full / 2 : full, bytes: 4 * B! * H! * S! * D! * 2 };
}

/** `call`'s value as a Promise: a throw becomes a rejection, as the current surface's calls fail. */
function settled<T>(call: () => T): Promise<T> {
  return new Promise((resolve) => resolve(call()));
}

function adaptSession(session: OldSession, backend: Backend, benchmark: Benchmark): RawSession {
  return {
    backend: session.backend,
    variant: session.variant,
    device: session.device,
    kernel: session.kernel ?? { arch: backend, symbol: null },
    work: session.work ?? legacyWork(benchmark),
    launches: session.launches ?? null,
    graphNodes: session.graphNodes ?? null,
    check: () => settled(() => session.check()),
    sample: (options) =>
      settled(() => {
        const batch = session.sample(options);
        return Array.isArray(batch) ? { samplesMs: batch, clockMHz: null } : batch;
      }),
    clock: () => session.clock(),
    close: () => session.close(),
  };
}

function adaptOld(old: OldAddon, addonPath: string): RawAddon {
  return {
    surfaceVersion: 4,
    setErrorClass: (errorClass) => old.setErrorClass(errorClass),
    compiledBackends: () => old.compiledBackends(),
    devices: (backend) => old.devices(backend),
    unavailableReason: (backend) => old.unavailableReason(backend),
    variants: (backend, benchmark) => old.variants(backend, benchmark),
    problems: () => (old.problems ? old.problems() : legacyProblems),
    loadPlugin: (path, deviceCode) => {
      if (!old.loadPlugin) throw new RatchetError('ERR_RATCHET_PLUGIN', `${path}: the addon ${addonPath} was built before plugins existed; rebuild it (pnpm build)`, { file: path });
      return old.loadPlugin(path, deviceCode);
    },
    open: (backend, benchmark, options) => adaptSession(old.open(backend, benchmark, options), backend, benchmark),
  };
}

/**
 * The module a .node file at `addonPath` exports, as the current surface. `identifiesSessions`:
 * whether its sessions report what their identity is composed of (version 3 on: the work and the
 * captured launch); before, every identity is unknown. A build newer than this loader is refused.
 */
export function adaptAddon(module: object, addonPath: string): { addon: RawAddon; identifiesSessions: boolean } {
  const version = (module as { surfaceVersion?: unknown }).surfaceVersion;
  if (version === undefined) {
    const old = module as OldAddon;
    return { addon: adaptOld(old, addonPath), identifiesSessions: typeof old.problems === 'function' };
  }
  if (version === surfaceVersion) return { addon: module as RawAddon, identifiesSessions: true };
  throw new RatchetError(
    'ERR_RATCHET_NATIVE_LOAD',
    `${addonPath}: built with addon surface version ${String(version)}, which this Ratchet (surface versions 1 to ${surfaceVersion}) cannot read: load it with the Ratchet it was built with, or build it again from this checkout`,
  );
}
