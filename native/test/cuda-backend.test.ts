import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { loadNative } from '../lib/index.js';
import { checkOnce } from './sessions.js';

const native = loadNative();
const hasCuda = native.devices('cuda').length > 0;
const reason = native.unavailableReason('cuda') ?? '';
const shape = (over: Partial<Benchmark> = {}): Benchmark => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 2, S: 128, D: 64, causal: false, ...over });
const options = { warmup: 2, samples: 5, l2Flush: true, launchesPerSample: 1 };

describe.skipIf(hasCuda)('cuda backend without a device', () => {
  it('lists no CUDA device and says why', () => {
    expect(native.devices('cuda')).toEqual([]);
    expect(reason.length).toBeGreaterThan(0);
  });
  it('refuses to open a CUDA session with the reason: no device, or a driver too old for the runtime', () => {
    const expected = !native.compiledBackends().includes('cuda') || !/driver is too old|driver refused/.test(reason) ? 'ERR_RATCHET_NO_DEVICE' : 'ERR_RATCHET_DRIVER_TOO_OLD';
    expect(() => native.open('cuda', shape())).toThrow(expect.objectContaining({ code: expected, message: reason }));
  });
});

describe.skipIf(!hasCuda)(`cuda backend (skipped: no CUDA device${hasCuda ? '' : `: ${reason}`})`, () => {
  const variants = hasCuda ? native.variants('cuda', shape()) : [];

  it('reports the device with its peaks and a device key', () => {
    const [device] = native.devices('cuda');
    expect(device!.deviceKey).toMatch(/\/sm\d+$/);
    expect(device!.peakTflops).toBeGreaterThan(0);
    expect(device!.peakBandwidthGBps).toBeGreaterThan(0);
    expect(device!.multiprocessorCount).toBeGreaterThan(0);
  });

  it('numbers its GPUs as CUDA does, each with its UUID, and opens a session on the one asked for', async () => {
    const devices = native.devices('cuda');
    expect(devices.map((d) => d.index)).toEqual(devices.map((_, i) => i));
    for (const device of devices) expect(device.uuid).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const last = devices.at(-1)!;
    const session = native.open('cuda', shape(), { device: last.index! });
    expect(session.device.uuid).toBe(last.uuid);
    expect((await session.check()).passed).toBe(true);
    // The SM clock is read through NVML's handle of this GPU, looked up by its UUID: known for every sample.
    const batch = await session.sample(options);
    expect(batch.samplesMs).toHaveLength(options.samples);
    expect(batch.clockMHz?.every((mhz) => mhz > 0)).toBe(true);
    session.close();
    expect(() => native.open('cuda', shape(), { device: devices.length })).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_NO_DEVICE', message: `no cuda device ${devices.length}` }));
  });

  for (const dtype of ['fp16', 'bf16'] as const) {
    for (const D of [64, 128]) {
      for (const causal of [false, true]) {
        // Odd lengths around every tile edge (64, 128, 256, 1024 rows or keys), odd B and H.
        for (const S of [1, 7, 17, 63, 64, 65, 113, 127, 128, 129, 255, 256, 257, 1000, 1023, 1024, 1025, 4224]) {
          it(`every variant matches the reference: ${dtype} D${D} S${S}${causal ? ' causal' : ''}`, async () => {
            for (const variant of variants) {
              const result = await checkOnce(native, 'cuda', shape({ dtype, D, S, causal, B: 3, H: 3 }), { variant });
              expect(result.passed, `${variant}: ${result.detail}`).toBe(true);
            }
          });
        }
      }
    }
  }

  it('is correct with many heads (B*H large) and checks a spread of them', async () => {
    const result = await checkOnce(native, 'cuda', shape({ B: 16, H: 32, S: 256, D: 128 }));
    expect(result.passed, result.detail).toBe(true);
    expect(result.reference).toMatch(/of 512 heads/);
  });

  it('agrees with the CPU fp64 reference: same seed, same inputs, both pass', async () => {
    for (const backend of ['cpu', 'cuda'] as const) {
      const session = native.open(backend, shape({ S: 100, causal: true }), { seed: 7 });
      expect((await session.check()).passed).toBe(true);
      session.close();
    }
  });

  it('draws fresh inputs every check', async () => {
    const session = native.open('cuda', shape());
    const [a, b] = [await session.check(), await session.check()];
    session.close();
    expect(a.maxAbsError).not.toBe(b.maxAbsError);
  });

  it('times with CUDA events: positive samples, graph replay per launch, clock read', async () => {
    const session = native.open('cuda', shape({ B: 4, H: 8, S: 1024 }));
    expect((await session.check()).passed).toBe(true);
    const single = await session.sample(options);
    const graphed = await session.sample({ ...options, launchesPerSample: 10, l2Flush: false });
    const clock = session.clock();
    session.close();
    expect(single.samplesMs.every((ms) => ms > 0)).toBe(true);
    expect(graphed.samplesMs.every((ms) => ms > 0)).toBe(true);
    // NVML read after every sample: one plausible SM clock per sample.
    expect(single.clockMHz).toHaveLength(single.samplesMs.length);
    expect(single.clockMHz!.every((mhz) => mhz > 100 && mhz < 5000)).toBe(true);
    expect(Array.isArray(clock.throttleReasons)).toBe(true);
  });

  it('names the kernel it times as the runtime does, and finds its SASS hash in the identity file', () => {
    const shapes = [shape(), shape({ causal: true }), shape({ dtype: 'bf16', D: 64 })];
    const sessions = shapes.map((s) => native.open('cuda', s));
    const device = sessions[0]!.device;
    for (const session of sessions) {
      expect(session.kernel.arch).toBe(`sm_${device.computeCapability!.replace('.', '')}`);
      // ratchet::kernels::flashForwardKernel (mma.sync) or ratchet::kernels::sm90::flashForwardSm90V<n> (Hopper).
      expect(session.kernel.symbol).toMatch(/^_ZN7ratchet7kernels(18flashForwardKernel|4sm9018flashForwardSm90V\d)/);
      expect(session.kernelIdentity).toMatch(/^sm_\d+:[0-9a-f]{64}$/);
    }
    // Causal and not are two instantiations: two different machine codes.
    expect(new Set(sessions.map((s) => s.kernelIdentity)).size).toBe(3);
    for (const session of sessions) session.close();
  });

  it('captures what one launch enqueues: one kernel node, named as the session says, with its geometry', () => {
    for (const variant of variants) {
      const session = native.open('cuda', shape({ B: 2, H: 4, S: 300 }), { variant });
      expect(session.graphNodes).toContain('kernel');
      const [kernel] = session.launches!;
      expect(kernel!.name).toBe(session.kernel.symbol);
      // The mma_* variants name their warps: 32 threads each. (Others only need a block at all.)
      const warps = /^mma_.*_w(\d+)$/.exec(variant)?.[1];
      if (warps) {
        expect(session.graphNodes).toEqual(['kernel']);
        expect(kernel!.block).toEqual([Number(warps) * 32, 1, 1]);
        expect(kernel!.grid).toEqual([Math.ceil(300 / Number(/_br(\d+)_/.exec(variant)![1])), 4, 2]);
      } else {
        expect(kernel!.block[0]).toBeGreaterThan(0);
      }
      expect(kernel!.grid[0] * kernel!.grid[1] * kernel!.grid[2]).toBeGreaterThan(0);
      expect(kernel!.attributes.registers).toBeGreaterThan(0);
      expect(Object.keys(kernel!.attributes)).toEqual(expect.arrayContaining(['registers', 'staticSmemBytes', 'maxDynamicSmemBytes', 'localBytes', 'requiredClusterWidth']));
      session.close();
    }
  });

  it('is A/A with itself and never across variants: the same shape reopened has the same identity', () => {
    const identity = (variant: string) => {
      const session = native.open('cuda', shape(), { variant });
      const value = session.kernelIdentity;
      session.close();
      return value;
    };
    expect(identity(variants[0]!)).toBe(identity(variants[0]!));
    expect(new Set(variants.map(identity)).size).toBe(variants.length);
  });

  it('reports the work of the problem: attention FLOPs and Q, K, V, O bytes', () => {
    const session = native.open('cuda', shape({ B: 2, H: 3, S: 100, causal: true }));
    expect(session.work).toEqual({ flops: (4 * 2 * 3 * 100 * 100 * 64) / 2, bytes: 4 * 2 * 3 * 100 * 64 * 2 });
    session.close();
  });

  it('rejects an unsupported head dim', () => {
    expect(() => native.open('cuda', shape({ D: 96 }))).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_UNSUPPORTED_SHAPE', message: expect.stringMatching(/D = 64 or 128, not 96/) }));
  });

  it('reports a shape larger than the card as out of memory, and keeps working after', async () => {
    expect(() => native.open('cuda', shape({ B: 512, H: 64, S: 65536, D: 128 }))).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_OUT_OF_MEMORY', message: expect.stringMatching(/of device memory; .* is free/) }));
    const session = native.open('cuda', shape());
    expect((await session.check()).passed).toBe(true);
    session.close();
  });

  // Each session runs on a thread of its own (src/session_thread.h): the kernels' per-thread state
  // (the Hopper versions' tensor maps, cached for the last buffers a thread launched on) must be
  // right for every session however their calls interleave, as one thread's cache alternating
  // between two sessions was before.
  it('sessions of one variant on their own threads, their calls interleaved and concurrent, each stay correct', async () => {
    const variant = variants[0]!;
    const sessions = [shape({ S: 1024 }), shape({ S: 777, B: 2 }), shape({ S: 1024, causal: true })].map((s) => native.open('cuda', s, { variant }));
    for (let round = 0; round < 3; round += 1) {
      for (const session of sessions) expect((await session.check()).passed, `${variant} round ${round}`).toBe(true);
    }
    // Asked together: the checks run at once, the batches one at a time (session_wrap.cc).
    const checks = await Promise.all(sessions.map((session) => session.check()));
    expect(checks.every((check) => check.passed)).toBe(true);
    const batches = await Promise.all(sessions.map((session) => session.sample({ ...options, samples: 20 })));
    for (const batch of batches) expect(batch.samplesMs.every((ms) => ms > 0)).toBe(true);
    for (const session of sessions) session.close();
  });
});
