import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { legacyProblems } from '../lib/compat.js';
import { loadNative } from '../lib/index.js';
import { checkOnce } from './sessions.js';

const native = loadNative();
const cuda = native.compiledBackends().includes('cuda');
const rmsnorm = (over: Partial<Benchmark> = {}): Benchmark => ({ kernel: 'rmsnorm', dtype: 'fp16', rows: 3, cols: 4097, ...over });

describe('the built-in problems, as the addon declares them', () => {
  it('flash_fwd keeps the parameters, order and variants of every earlier version', () => {
    const spec = native.problems().find((p) => p.name === 'flash_fwd');
    // As builds before the Problem ABI ran it (compat.ts declares it for them).
    const [earliest] = legacyProblems;
    expect(spec).toEqual({ ...earliest, variants: expect.any(Array), backends: cuda ? ['cpu', 'cuda'] : ['cpu'] });
    // Earlier variants keep their names and order; a build for Hopper adds the sm90 family between.
    const earlier = earliest!.variants.filter((v) => cuda || v.startsWith('cpu-'));
    expect(spec!.variants.filter((v) => !v.startsWith('sm90_'))).toEqual(earlier);
    expect(spec!.variants.slice(0, cuda ? 3 : 0)).toEqual(earlier.slice(0, cuda ? 3 : 0));
  });

  it('rmsnorm: dtype, rows, cols; two CPU variants, and two CUDA kernels when compiled in', () => {
    const spec = native.problems().find((p) => p.name === 'rmsnorm');
    expect(spec).toEqual({
      name: 'rmsnorm',
      summary: 'RMSNorm forward y = x * rsqrt(mean(x^2) + 1e-6) * w over rows x cols, fp32 accumulation',
      params: [
        { name: 'dtype', type: 'enum', values: ['fp16', 'bf16'] },
        { name: 'rows', type: 'int', min: 1, max: 2 ** 31 - 1, description: 'rows of x' },
        { name: 'cols', type: 'int', min: 1, max: 2 ** 24, description: 'elements per row' },
      ],
      variants: [...(cuda ? ['warp_row', 'cta_row'] : []), 'cpu-cached', 'cpu-twopass'],
      backends: cuda ? ['cpu', 'cuda'] : ['cpu'],
      source: { kind: 'builtin' },
    });
  });

  it('a kernel no problem declares is ERR_RATCHET_UNKNOWN_PROBLEM naming the known ones', () => {
    expect(() => native.open('cpu', { kernel: 'layernorm', rows: 4, cols: 4 })).toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_UNKNOWN_PROBLEM', message: expect.stringMatching(/^benchmark\.kernel: no problem named 'layernorm' \(known: flash_fwd, rmsnorm/) }),
    );
  });
});

describe('rmsnorm on the CPU backend: every variant matches the fp64 reference at odd sizes', () => {
  for (const variant of ['cpu-cached', 'cpu-twopass']) {
    for (const dtype of ['fp16', 'bf16'] as const) {
      for (const rows of [1, 3, 64]) {
        for (const cols of [1, 7, 8, 64, 4097]) {
          it(`${variant} ${dtype} ${rows} x ${cols}`, async () => {
            const result = await checkOnce(native, 'cpu', rmsnorm({ dtype, rows, cols }), { variant });
            expect(result.passed, result.detail).toBe(true);
            expect(result.relError).toBeLessThan(dtype === 'fp16' ? 2e-3 : 1.6e-2);
            expect(result.reference).toBe('cpu-fp64');
          });
        }
      }
    }
  }
});

describe('rmsnorm on the CPU backend: sessions', () => {
  it('does the work of a memory-bound kernel: x and y once, w once', () => {
    const session = native.open('cpu', rmsnorm({ rows: 64, cols: 1000 }));
    expect(session.work).toEqual({ flops: 4 * 64 * 1000, bytes: (2 * 64 * 1000 + 1000) * 2 });
    session.close();
  });

  it('offers both variants, cached first, and times them', async () => {
    expect(native.variants('cpu', rmsnorm())).toEqual(['cpu-cached', 'cpu-twopass']);
    const session = native.open('cpu', rmsnorm({ rows: 32, cols: 512 }));
    expect((await session.check()).passed).toBe(true);
    const batch = await session.sample({ warmup: 1, samples: 4, l2Flush: false, launchesPerSample: 1 });
    session.close();
    expect(batch.samplesMs).toHaveLength(4);
    expect(batch.samplesMs.every((ms) => ms > 0)).toBe(true);
  });

  it('both variants compute the same normalisation: checksums of one seed agree closely', async () => {
    const sums: number[] = [];
    for (const variant of ['cpu-cached', 'cpu-twopass']) {
      const session = native.open('cpu', rmsnorm({ rows: 16, cols: 333 }), { variant, seed: 11 });
      const { checksum } = await session.check();
      session.close();
      sums.push(checksum!.absSum);
    }
    expect(Math.abs(sums[0]! - sums[1]!) / sums[0]!).toBeLessThan(1e-3);
  });

  it('names the function each variant runs and finds its hash in the build identity file', () => {
    const identities = ['cpu-cached', 'cpu-twopass'].map((variant) => {
      const session = native.open('cpu', rmsnorm(), { variant });
      expect(session.kernel).toEqual({ arch: 'cpu', symbol: variant === 'cpu-cached' ? 'cpuRmsnormCached' : 'cpuRmsnormTwoPass' });
      const identity = session.kernelIdentity;
      session.close();
      return identity;
    });
    expect(identities[0]).toMatch(/^cpu:[0-9a-f]{64}$/);
    expect(identities[1]).toMatch(/^cpu:[0-9a-f]{64}$/);
    expect(identities[0]).not.toBe(identities[1]);
  });

  it('refuses shapes past the CPU backend\'s working-set cap, and parameters outside their range', () => {
    expect(() => native.open('cpu', rmsnorm({ rows: 65536, cols: 8192 }))).toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_UNSUPPORTED_SHAPE', message: 'rmsnorm/fp16/rows65536_cols8192: needs 2048 MiB for x, w and y; the single-threaded CPU backend takes at most 1024 MiB' }),
    );
    expect(() => native.open('cpu', rmsnorm({ cols: 0 }))).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_UNSUPPORTED_SHAPE', message: 'rmsnorm/fp16/rows3_cols0: cols must be at least 1, not 0' }));
    expect(() => native.open('cpu', rmsnorm({ dtype: 'fp32' }))).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_BENCHMARK', message: 'benchmark.dtype: expected "fp16" or "bf16" but received "fp32" (string)' }));
    expect(() => native.open('cpu', rmsnorm(), { variant: 'warp_row' })).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_BENCHMARK', message: "unknown CPU variant 'warp_row' (known: cpu-cached, cpu-twopass)" }));
  });
});
