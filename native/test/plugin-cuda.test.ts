import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { loadNative } from '../lib/index.js';
import { checkOnce } from './sessions.js';
import { pluginPath, pluginUnavailable } from './plugins.js';

const native = loadNative();
const device = native.devices('cuda')[0];
const unavailable = device ? (pluginUnavailable('cuda-axpy') ?? pluginUnavailable('cuda-fault')) : `no CUDA device: ${native.unavailableReason('cuda') ?? ''}`;
const axpy = (n = 1 << 20): Benchmark => ({ kernel: 'axpy_f32', n });
const fault = (failIn: string): Benchmark => ({ kernel: 'cuda_fault', failIn, n: 4096 });
const options = { warmup: 2, samples: 5, l2Flush: true, launchesPerSample: 1 };

function identity(benchmark: Benchmark, variant: string): string | null {
  const session = native.open('cuda', benchmark, { variant });
  const value = session.kernelIdentity;
  session.close();
  return value;
}

describe.skipIf(unavailable !== null)(`a CUDA plugin built with nvcc from its own directory${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('loads: its problem runs on cuda with both variants, default first', () => {
    const [spec] = native.loadPlugin(pluginPath('cuda-axpy'));
    expect(spec).toMatchObject({ name: 'axpy_f32', backends: ['cuda'], variants: ['block256', 'block128'], source: { kind: 'plugin', abiVersion: 1 } });
    expect(native.variants('cuda', axpy())).toEqual(['block256', 'block128']);
  }, 120_000);

  for (const n of [1, 1000, 1 << 20, (1 << 24) + 3]) {
    it(`both variants match the fp64 reference at n = ${n}`, async () => {
      native.loadPlugin(pluginPath('cuda-axpy'));
      for (const variant of ['block256', 'block128']) {
        const result = await checkOnce(native, 'cuda', axpy(n), { variant });
        expect(result.passed, `${variant}: ${result.detail}`).toBe(true);
        expect(result.reference).toBe('cuda-fp64');
      }
    });
  }

  it('is timed on the same harness: events, L2 flush, SM clock per sample, graph replay', async () => {
    native.loadPlugin(pluginPath('cuda-axpy'));
    const session = native.open('cuda', axpy(1 << 24));
    expect((await session.check()).passed).toBe(true);
    const single = await session.sample(options);
    const graphed = await session.sample({ ...options, launchesPerSample: 10, l2Flush: false });
    expect(single.samplesMs.every((ms) => ms > 0)).toBe(true);
    expect(graphed.samplesMs.every((ms) => ms > 0)).toBe(true);
    expect(single.clockMHz).toHaveLength(single.samplesMs.length);
    expect(session.work).toEqual({ flops: 2 * (1 << 24), bytes: 12 * (1 << 24) });
    session.close();
  });

  it('two variants that differ only in launch geometry run the same code, and are never A/A', () => {
    native.loadPlugin(pluginPath('cuda-axpy'));
    const sessions = ['block256', 'block128'].map((variant) => native.open('cuda', axpy(), { variant }));
    const [wide, narrow] = sessions.map((s) => s.launches![0]!);
    expect(wide!.name).toBe('_ZN12ratchet_axpy4axpyEPKfS1_Pfl');
    expect(narrow!.name).toBe(wide!.name);
    expect(narrow!.attributes).toEqual(wide!.attributes);
    expect([wide!.block, wide!.grid, narrow!.block, narrow!.grid]).toEqual([[256, 1, 1], [4096, 1, 1], [128, 1, 1], [8192, 1, 1]]);
    expect(sessions[0]!.kernelIdentity).toMatch(/^sm_\d+:[0-9a-f]{64}$/);
    expect(sessions[1]!.kernelIdentity).toMatch(/^sm_\d+:[0-9a-f]{64}$/);
    expect(sessions[0]!.kernelIdentity).not.toBe(sessions[1]!.kernelIdentity);
    for (const session of sessions) session.close();
    // The same variant reopened is A/A.
    expect(identity(axpy(), 'block128')).toBe(identity(axpy(), 'block128'));
  });

  it('a plugin without code for this GPU is refused when loaded, naming what it carries and how to rebuild', () => {
    const cc = device!.computeCapability!.replace('.', '');
    const foreign = cc.startsWith('8') ? 'cuda-axpy-sm90-only' : 'cuda-axpy-sm80-only';
    const carries = foreign === 'cuda-axpy-sm90-only' ? 'sm_90' : 'sm_80';
    const path = pluginPath(foreign);
    const before = native.problems();
    expect(() => native.loadPlugin(path)).toThrow(
      expect.objectContaining({
        code: 'ERR_RATCHET_PLUGIN',
        message: `${path}: has no device code for this GPU (${device!.name}, sm_${cc}): it carries ${carries}; rebuild it with -gencode arch=compute_${cc},code=sm_${cc}`,
      }),
    );
    expect(native.problems()).toEqual(before);
  }, 120_000);

  it('its own failure is ERR_RATCHET_KERNEL_FAILED with its message, and the device stays usable', async () => {
    native.loadPlugin(pluginPath('cuda-fault'));
    const ok = native.open('cuda', fault('none'));
    expect((await ok.check()).passed).toBe(true);
    ok.close();
    expect(() => native.open('cuda', fault('launch'))).toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_KERNEL_FAILED', message: 'cuda_fault/launch/n4096: launch failed: launch refused on purpose' }),
    );
    const after = native.open('cuda', axpy());
    expect((await after.check()).passed).toBe(true);
    after.close();
  }, 120_000);

  it('cudaErrorNoKernelImageForDevice from a plugin is ERR_RATCHET_PLUGIN naming the library and its code', () => {
    const [spec] = native.loadPlugin(pluginPath('cuda-fault'));
    const library = spec!.source.kind === 'plugin' ? spec!.source.path : '';
    const cc = device!.computeCapability!.replace('.', '');
    expect(() => native.open('cuda', fault('image'))).toThrow(
      expect.objectContaining({
        code: 'ERR_RATCHET_PLUGIN',
        message: `cuda_fault/image/n4096: setup: ${library} has no device code for this GPU (sm_${cc}) (it carries compute_90, sm_80, sm_90); rebuild it with -gencode arch=compute_${cc},code=sm_${cc}`,
      }),
    );
  }, 120_000);
});
