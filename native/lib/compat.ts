// Builds of the addon from other versions of Ratchet (a base ref built for `run --base`) export
// older surfaces; this is the one place that knows them, and presents each as the current one
// (addon.ts). A build says its version in `surfaceVersion` (src/addon.cc); builds before 4 say
// none, and differ in what they export:
//   1  6120e5e  the CPU backend: sample() returns plain milliseconds; no kernel, no problems()
//   2  b70baa6  per-sample SM clocks and kernel names: sample() returns { samplesMs, clockMHz }
//   3  d430868  the Problem ABI: problems(), loadPlugin(), a session's work, launches, graphNodes
//   4  eb7750f  check() and sample() return Promises: their work runs off the main thread
//   5           devices carry their CUDA index and UUID, variants() takes the device (--device)
import { RatchetError, type Backend, type Benchmark, type ClockReading, type Correctness, type Device, type ProblemSpec, type SampleBatch, type SampleOptions, type Work } from '@ratchet/types';
import type { KernelLaunch, OpenOptions, RawAddon, RawSession } from './addon.js';

/** The newest surface this loader reads: what this checkout's addon exports. */
export const surfaceVersion = 5;

/**
 * A device as builds before version 5 report it, completed: they give no index or UUID and open
 * their devices by position, so the position is the index.
 */
function withIndex(device: Device, position: number): Device {
  return { ...device, index: device.index ?? position, uuid: device.uuid ?? null };
}

/** The module of a build of version 4: the current surface but for devices and variants. */
type Surface4Addon = Omit<RawAddon, 'surfaceVersion'>;

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

/**
 * A build before version 4 as version 4: problems and plugins where it has them (attention alone
 * where not), sessions completed and their calls as Promises. adapt4 takes it on from there.
 * Its functions are the module's own, taken as they are: none reads `this`.
 */
function adaptOld(old: OldAddon, addonPath: string): Surface4Addon {
  return {
    ...old,
    problems: () => (old.problems ? old.problems() : legacyProblems),
    loadPlugin: (path, deviceCode) => {
      if (!old.loadPlugin) throw new RatchetError('ERR_RATCHET_PLUGIN', `${path}: the addon ${addonPath} was built before plugins existed; rebuild it (pnpm build)`, { file: path });
      return old.loadPlugin(path, deviceCode);
    },
    open: (backend, benchmark, options) => adaptSession(old.open(backend, benchmark, options), backend, benchmark),
  };
}

/** A build of version 4 as version 5: devices completed, variants those of device 0 (it lists no other). */
function adapt4(addon: Surface4Addon): RawAddon {
  return {
    ...addon,
    surfaceVersion: 5,
    devices: (backend) => addon.devices(backend).map(withIndex),
    // Device 0's variants, whatever device is asked about: the device argument is not passed on.
    variants: (backend, benchmark) => addon.variants(backend, benchmark),
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
    return { addon: adapt4(adaptOld(old, addonPath)), identifiesSessions: typeof old.problems === 'function' };
  }
  if (version === 4) return { addon: adapt4(module as Surface4Addon), identifiesSessions: true };
  if (version === surfaceVersion) return { addon: module as RawAddon, identifiesSessions: true };
  throw new RatchetError(
    'ERR_RATCHET_NATIVE_LOAD',
    `${addonPath}: built with addon surface version ${String(version)}, which this Ratchet (surface versions 1 to ${surfaceVersion}) cannot read: load it with the Ratchet it was built with, or build it again from this checkout`,
  );
}
