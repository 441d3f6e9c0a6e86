import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { loadNative } from '../lib/index.js';
import { checkOnce } from './sessions.js';

const native = loadNative();
const shape = (over: Partial<Benchmark> = {}): Benchmark => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 2, S: 64, D: 64, causal: false, ...over });
const options = { warmup: 1, samples: 3, l2Flush: false, launchesPerSample: 1 };

describe('CPU backend: devices and variants', () => {
  it('reports one CPU device with a cpu/ device key', () => {
    const [device, ...rest] = native.devices('cpu');
    expect(rest).toEqual([]);
    expect(device!.backend).toBe('cpu');
    expect(device!.deviceKey).toMatch(/^cpu\/(x86_64|aarch64|unknown-arch)\/[A-Za-z0-9._-]+$/);
    expect(device!.multiprocessorCount).toBeGreaterThan(0);
    expect(native.unavailableReason('cpu')).toBeNull();
  });
  it('numbers its one device 0, with no UUID, and refuses any other index', () => {
    expect(native.devices('cpu').map((d) => [d.index, d.uuid])).toEqual([[0, null]]);
    const session = native.open('cpu', shape(), { device: 0 });
    expect(session.device.index).toBe(0);
    session.close();
    expect(() => native.open('cpu', shape(), { device: 1 })).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_NO_DEVICE', message: 'no cpu device 1' }));
  });
  it('offers two variants, blocked first', () => {
    expect(native.variants('cpu', shape())).toEqual(['cpu-blocked', 'cpu-rowwise']);
  });
});

describe('CPU backend: every variant matches the fp64 reference', () => {
  for (const variant of ['cpu-blocked', 'cpu-rowwise']) {
    for (const dtype of ['fp16', 'bf16'] as const) {
      for (const causal of [false, true]) {
        for (const D of [16, 64]) {
          for (const S of [1, 17, 64, 100]) {
            it(`${variant} ${dtype} D${D} S${S}${causal ? ' causal' : ''}`, async () => {
              const result = await checkOnce(native, 'cpu', shape({ dtype, causal, D, S, H: 2, B: 2 }), { variant });
              expect(result.passed, result.detail).toBe(true);
              expect(result.relError).toBeLessThan(dtype === 'fp16' ? 2e-3 : 1.6e-2);
              expect(result.reference).toBe('cpu-fp64');
            });
          }
        }
      }
    }
  }
});

describe('CPU backend: checks and samples', () => {
  it('draws fresh inputs on every check', async () => {
    const session = native.open('cpu', shape());
    const first = await session.check();
    const second = await session.check();
    session.close();
    expect(first.passed && second.passed).toBe(true);
    expect(first.maxAbsError).not.toBe(second.maxAbsError);
  });
  it('the same seed gives the same inputs, hence the same errors', async () => {
    const a = native.open('cpu', shape(), { seed: 42 });
    const b = native.open('cpu', shape(), { seed: 42 });
    expect(await a.check()).toEqual(await b.check());
    a.close();
    b.close();
  });
  it('returns one positive time per sample', async () => {
    const session = native.open('cpu', shape());
    await session.check();
    const samples = await session.sample({ ...options, samples: 5 });
    session.close();
    expect(samples.samplesMs).toHaveLength(5);
    expect(samples.samplesMs.every((ms) => ms > 0)).toBe(true);
    expect(samples.clockMHz).toBeNull();
  });
  it('names the compiled code it times, and finds its hash in the build identity file', () => {
    const rowwise = native.open('cpu', shape(), { variant: 'cpu-rowwise' });
    const blocked = native.open('cpu', shape(), { variant: 'cpu-blocked' });
    expect(rowwise.kernel).toEqual({ arch: 'cpu', symbol: 'cpuAttentionRowwise' });
    expect(rowwise.kernelIdentity).toMatch(/^cpu:[0-9a-f]{64}$/);
    expect(blocked.kernelIdentity).toMatch(/^cpu:[0-9a-f]{64}$/);
    expect(blocked.kernelIdentity).not.toBe(rowwise.kernelIdentity);
    // Composed from the build's machine code: it covers all the code timed, so run --base may skip it.
    expect([rowwise.identityCoversCode, blocked.identityCoversCode]).toEqual([true, true]);
    rowwise.close();
    blocked.close();
  });
  it('reports the session variant, backend and device', () => {
    const session = native.open('cpu', shape(), { variant: 'cpu-rowwise' });
    expect([session.variant, session.backend, session.device.backend]).toEqual(['cpu-rowwise', 'cpu', 'cpu']);
    expect(session.clock()).toEqual({ smClockMHz: null, throttleReasons: [] });
    session.close();
  });
});

describe('CPU backend: every bad input is a RatchetError with a code', () => {
  const cases: [string, () => unknown, string, RegExp][] = [
    ['S = 0', () => native.open('cpu', shape({ S: 0 })), 'ERR_RATCHET_UNSUPPORTED_SHAPE', /S must be at least 1, not 0/],
    ['D = 0', () => native.open('cpu', shape({ D: 0 })), 'ERR_RATCHET_UNSUPPORTED_SHAPE', /D must be at least 1/],
    ['D = 1000', () => native.open('cpu', shape({ D: 1000 })), 'ERR_RATCHET_UNSUPPORTED_SHAPE', /head dim D from 1 to 256, not 1000/],
    ['an absurd size', () => native.open('cpu', shape({ B: 4096, H: 64, S: 65536, D: 128 })), 'ERR_RATCHET_UNSUPPORTED_SHAPE', /at most 1024 MiB/],
    ['a wrong type', () => native.open('cpu', { ...shape(), S: '64' } as unknown as Benchmark), 'ERR_RATCHET_INVALID_BENCHMARK', /benchmark\.S: expected an integer but received "64" \(string\)/],
    ['an unknown dtype', () => native.open('cpu', { ...shape(), dtype: 'fp8' } as unknown as Benchmark), 'ERR_RATCHET_INVALID_BENCHMARK', /dtype: expected "fp16" or "bf16"/],
    ['an unknown variant', () => native.open('cpu', shape(), { variant: 'gpu-magic' }), 'ERR_RATCHET_INVALID_BENCHMARK', /unknown CPU variant 'gpu-magic' \(known: cpu-blocked, cpu-rowwise\)/],
    ['an unknown backend', () => native.open('tpu' as 'cpu', shape()), 'ERR_RATCHET_INVALID_BACKEND', /^backend: expected "cpu" or "cuda" but received "tpu" \(string\)$/],
    ['a seed out of range', () => native.open('cpu', shape(), { seed: 2 ** 32 }), 'ERR_RATCHET_INVALID_BENCHMARK', /^open options\.seed: expected an integer from 0 to 4294967295 but received 4294967296 \(number\)$/],
    ['a device that is not there', () => native.open('cpu', shape(), { device: 1 }), 'ERR_RATCHET_NO_DEVICE', /^no cpu device 1$/],
  ];
  for (const [name, act, code, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(act).toThrow(expect.objectContaining({ code, name: 'RatchetError', message: expect.stringMatching(message) }));
    });
  }
  it('refuses to sample before a passing check, and any use after close', async () => {
    const session = native.open('cpu', shape());
    await expect(session.sample(options)).rejects.toMatchObject({ code: 'ERR_RATCHET_USAGE', name: 'RatchetError' });
    await session.check();
    session.close();
    await expect(session.check()).rejects.toThrow(/session is closed/);
    expect(() => session.clock()).toThrow(/session is closed/);
  });
  it('rejects malformed sample options (a Promise that rejects, never a throw)', async () => {
    const session = native.open('cpu', shape());
    await session.check();
    const sampled = session.sample({ ...options, samples: 0 });
    await expect(sampled).rejects.toMatchObject({ code: 'ERR_RATCHET_INVALID_BENCHMARK', message: 'sample options.samples: expected an integer >= 1 but received 0 (number)' });
    session.close();
  });
});
