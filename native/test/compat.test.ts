// Builds of the addon from older commits (a base ref of `run --base`) load through compat.ts as the
// current surface: Promises from check() and sample(), errors as rejections, what they lack filled in.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RatchetError, type Benchmark, type ClockReading, type Correctness, type SampleOptions } from '@ratchet/types';
import { adaptAddon, legacyProblems, surfaceVersion } from '../lib/compat.js';
import { loadNative, loadNativeFrom, type NativeAddon } from '../lib/index.js';
import { missingTools } from '../scripts/build-addon.mjs';

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const attention: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 2, S: 32, D: 16, causal: true };
const options: SampleOptions = { warmup: 1, samples: 3, l2Flush: false, launchesPerSample: 1 };

/** The last commit whose addon exports surface 3: synchronous check() and sample(). */
const lastSynchronous = '1ae27fffb3c8aeab2601bb1ad95a9b8bfb1b32bf';

/** Why that commit's addon cannot be built here (a GPU host's bundle has no history, no Node-API headers, maybe no compiler); null when it can. */
function unavailable(): string | null {
  const tools = missingTools();
  if (tools.length > 0) return `needs ${tools.join(', ')}`;
  try {
    createRequire(join(repository, 'native', 'package.json')).resolve('node-api-headers');
  } catch {
    return 'needs node-api-headers installed in native/';
  }
  try {
    execFileSync('git', ['cat-file', '-e', `${lastSynchronous}^{commit}`], { cwd: repository, stdio: 'ignore' });
    return null;
  } catch {
    return `needs commit ${lastSynchronous.slice(0, 12)} in this checkout's history`;
  }
}

/** The addon of `commit` built CPU-only in a directory of its own, as `run --base` builds a base. */
function buildAt(commit: string): string {
  const root = mkdtempSync(join(tmpdir(), 'ratchet-old-addon-'));
  const archive = execFileSync('git', ['archive', commit, 'native', 'kernels'], { cwd: repository, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  symlinkSync(join(repository, 'native', 'node_modules'), join(root, 'native', 'node_modules'), 'dir');
  execFileSync('node', ['native/scripts/build.mjs'], { cwd: root, env: { ...process.env, RATCHET_CUDA: '0' }, stdio: 'pipe' });
  return join(root, 'native', 'build', 'Release', 'ratchet_native.node');
}

const missing = unavailable();

describe.skipIf(missing !== null)(`an addon built at ${lastSynchronous.slice(0, 12)} (surface 3, synchronous)${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let old: NativeAddon;
  beforeAll(() => {
    old = loadNativeFrom(buildAt(lastSynchronous));
  }, 15 * 60_000);

  it('checks and samples through Promises, with its identity and work as that build reports them', async () => {
    expect(old.problems().map((p) => p.name)).toEqual(['flash_fwd', 'rmsnorm']);
    const session = old.open('cpu', attention, { seed: 3, variant: 'cpu-rowwise' });
    const checked = session.check();
    expect(checked).toBeInstanceOf(Promise);
    expect(await checked).toMatchObject({ passed: true, reference: 'cpu-fp64' });
    expect(session.kernel).toEqual({ arch: 'cpu', symbol: 'cpuAttentionRowwise' });
    expect(session.kernelIdentity).toMatch(/^cpu:[0-9a-f]{64}$/);
    expect(session.work).toEqual({ flops: (4 * 2 * 32 * 32 * 16) / 2, bytes: 4 * 2 * 32 * 16 * 2 });
    expect(await session.sample(options)).toEqual({ samplesMs: [expect.any(Number), expect.any(Number), expect.any(Number)], clockMHz: null });
    session.close();
  });

  it('its errors arrive as rejections carrying RatchetError codes, never as throws from check() or sample()', async () => {
    const session = old.open('cpu', attention);
    const early = session.sample(options);
    await expect(early).rejects.toBeInstanceOf(RatchetError);
    await expect(early).rejects.toMatchObject({ code: 'ERR_RATCHET_USAGE' });
    session.close();
    await expect(session.check()).rejects.toMatchObject({ code: 'ERR_RATCHET_USAGE', message: 'this benchmark session is closed' });
  });
});

/**
 * A module shaped as the builds of surfaces 1 and 2 exported (6120e5e, b70baa6), answering with
 * fixed values: those builds need cmake-js, which this checkout no longer installs, so neither can
 * be built here. What is checked is the translation alone.
 */
function recordedSurface(version: 1 | 2): object {
  const device = loadNative().devices('cpu')[0]!;
  const passed: Correctness = { passed: true, maxAbsError: 1e-4, relError: 1e-4, tolerance: 2e-3, reference: 'cpu-fp64' };
  return {
    setErrorClass: () => undefined,
    compiledBackends: () => ['cpu'],
    devices: () => [device],
    unavailableReason: () => null,
    variants: () => ['cpu-blocked', 'cpu-rowwise'],
    open: (backend: 'cpu') => ({
      backend,
      variant: 'cpu-blocked',
      device,
      ...(version === 2 ? { kernel: { arch: 'cpu', symbol: 'cpuAttentionBlocked' } } : {}),
      check: () => passed,
      sample: (sampled: SampleOptions) => {
        if (sampled.samples < 1) throw new RatchetError('ERR_RATCHET_INVALID_BENCHMARK', 'sample options.samples: expected an integer >= 1 but received 0');
        const samplesMs = Array.from({ length: sampled.samples }, (_, i) => 1 + i);
        return version === 2 ? { samplesMs, clockMHz: null } : samplesMs;
      },
      clock: (): ClockReading => ({ smClockMHz: null, throttleReasons: [] }),
      close: () => undefined,
    }),
  };
}

describe('surfaces before the Problem ABI (1: plain milliseconds; 2: per-sample clocks and kernel names)', () => {
  for (const version of [1, 2] as const) {
    it(`surface ${version}: flash_fwd declared for it, work computed, batches as SampleBatch, identity unknown`, async () => {
      const { addon, identifiesSessions } = adaptAddon(recordedSurface(version), '/old/ratchet_native.node');
      expect(identifiesSessions).toBe(false);
      expect(addon.problems()).toEqual(legacyProblems);
      expect(() => addon.loadPlugin('/x/libp.so', '')).toThrow(
        expect.objectContaining({ code: 'ERR_RATCHET_PLUGIN', message: '/x/libp.so: the addon /old/ratchet_native.node was built before plugins existed; rebuild it (pnpm build)' }),
      );
      const session = addon.open('cpu', attention);
      expect(session.work).toEqual({ flops: (4 * 2 * 32 * 32 * 16) / 2, bytes: 4 * 2 * 32 * 16 * 2 });
      expect(session.kernel).toEqual(version === 2 ? { arch: 'cpu', symbol: 'cpuAttentionBlocked' } : { arch: 'cpu', symbol: null });
      expect([session.launches, session.graphNodes]).toEqual([null, null]);
      expect((await session.check()).passed).toBe(true);
      expect(await session.sample(options)).toEqual({ samplesMs: [1, 2, 3], clockMHz: null });
      await expect(session.sample({ ...options, samples: 0 })).rejects.toMatchObject({ code: 'ERR_RATCHET_INVALID_BENCHMARK' });
      session.close();
    });
  }

  it('surface 4: devices get their position as index and no UUID, and everything else passes through', async () => {
    const { index: _index, uuid: _uuid, ...device } = loadNative().devices('cpu')[0]!;
    const module = { ...recordedSurface(2), surfaceVersion: 4, devices: () => [device, { ...device, name: 'second' }], problems: () => legacyProblems };
    const { addon, identifiesSessions } = adaptAddon(module, '/v4/ratchet_native.node');
    expect(identifiesSessions).toBe(true);
    expect(addon.surfaceVersion).toBe(5);
    expect(addon.devices('cpu').map((d) => [d.name, d.index, d.uuid])).toEqual([[device.name, 0, null], ['second', 1, null]]);
    expect(addon.variants('cpu', attention, 1)).toEqual(['cpu-blocked', 'cpu-rowwise']);
    expect(addon.problems()).toEqual(legacyProblems);
  });

  it(`a build of a newer surface than ${surfaceVersion} is refused, saying which it is`, () => {
    expect(() => adaptAddon({ surfaceVersion: surfaceVersion + 1 }, '/new/ratchet_native.node')).toThrow(
      expect.objectContaining({
        code: 'ERR_RATCHET_NATIVE_LOAD',
        message: `/new/ratchet_native.node: built with addon surface version ${surfaceVersion + 1}, which this Ratchet (surface versions 1 to ${surfaceVersion}) cannot read: load it with the Ratchet it was built with, or build it again from this checkout`,
      }),
    );
  });
});
