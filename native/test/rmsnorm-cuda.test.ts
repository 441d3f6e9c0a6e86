import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { loadNative } from '../lib/index.js';
import { checkOnce } from './sessions.js';

const native = loadNative();
const hasCuda = native.devices('cuda').length > 0;
const reason = native.unavailableReason('cuda') ?? '';
const rmsnorm = (over: Partial<Benchmark> = {}): Benchmark => ({ kernel: 'rmsnorm', dtype: 'fp16', rows: 64, cols: 4097, ...over });
const options = { warmup: 2, samples: 5, l2Flush: true, launchesPerSample: 1 };

describe.skipIf(!hasCuda)(`rmsnorm on the CUDA backend (skipped: no CUDA device${hasCuda ? '' : `: ${reason}`})`, () => {
  it('runs a warp per row for short rows and a CTA per row for long ones, both offered', () => {
    expect(native.variants('cuda', rmsnorm({ cols: 512 }))).toEqual(['warp_row', 'cta_row']);
    expect(native.variants('cuda', rmsnorm({ cols: 513 }))).toEqual(['cta_row', 'warp_row']);
    expect(native.variants('cuda', rmsnorm({ cols: 1024 }))).toEqual(['cta_row', 'warp_row']);
  });

  // Odd sizes: one element, rows not 16-byte aligned (cols not a multiple of 8: head, body, tail),
  // a row longer than cta_row keeps in registers (past 32768), a grid of one row.
  const shapes: [number, number][] = [[1, 1], [1, 7], [3, 4097], [64, 8], [257, 1023], [5, 33000], [2, 70001], [4099, 64]];
  for (const variant of ['warp_row', 'cta_row']) {
    for (const dtype of ['fp16', 'bf16'] as const) {
      for (const [rows, cols] of shapes) {
        it(`${variant} ${dtype} ${rows} x ${cols} matches the fp64 reference of every row`, async () => {
          const result = await checkOnce(native, 'cuda', rmsnorm({ dtype, rows, cols }), { variant });
          expect(result.passed, result.detail).toBe(true);
          expect(result.reference).toBe('cuda-fp64-reference (all rows)');
          expect(result.relError).toBeLessThan(dtype === 'fp16' ? 2e-3 : 1.6e-2);
        });
      }
    }
  }

  it('passes and samples at the default suite\'s shapes', async () => {
    for (const [rows, cols] of [[8192, 4096], [16384, 8192], [65536, 1024]] as const) {
      for (const dtype of ['fp16', 'bf16'] as const) {
        const session = native.open('cuda', rmsnorm({ dtype, rows, cols }));
        expect((await session.check()).passed).toBe(true);
        const batch = await session.sample(options);
        expect(batch.samplesMs.every((ms) => ms > 0)).toBe(true);
        expect(batch.clockMHz).toHaveLength(batch.samplesMs.length);
        session.close();
      }
    }
  });

  it('agrees with the CPU backend: same seed, same inputs, close checksums', async () => {
    const sums: number[] = [];
    for (const backend of ['cpu', 'cuda'] as const) {
      const result = await checkOnce(native, backend, rmsnorm({ rows: 64, cols: 4097 }), { seed: 21 });
      expect(result.passed).toBe(true);
      sums.push(result.checksum!.absSum);
    }
    expect(Math.abs(sums[0]! - sums[1]!) / sums[0]!).toBeLessThan(1e-3);
  });

  it('captures one kernel per launch with its geometry: 4 rows a 128-thread CTA, or a CTA a row', () => {
    const warp = native.open('cuda', rmsnorm({ rows: 1001, cols: 512 }), { variant: 'warp_row' });
    const cta = native.open('cuda', rmsnorm({ rows: 1001, cols: 8192 }), { variant: 'cta_row' });
    expect(warp.launches).toHaveLength(1);
    expect(warp.launches![0]).toMatchObject({ grid: [251, 1, 1], block: [128, 1, 1], cluster: [0, 0, 0], dynamicSmemBytes: 0 });
    expect(warp.launches![0]!.name).toMatch(/rmsnormWarpRowKernel/);
    expect(cta.launches![0]).toMatchObject({ grid: [1001, 1, 1], block: [256, 1, 1] });
    expect(cta.launches![0]!.name).toMatch(/rmsnormCtaRowKernel/);
    warp.close();
    cta.close();
  });

  it('has one identity per variant and dtype, the same one when reopened', () => {
    const identity = (over: Partial<Benchmark>, variant: string) => {
      const session = native.open('cuda', rmsnorm(over), { variant });
      const value = session.kernelIdentity;
      session.close();
      return value;
    };
    const first = identity({}, 'warp_row');
    expect(first).toMatch(/^sm_\d+:[0-9a-f]{64}$/);
    expect(identity({}, 'warp_row')).toBe(first);
    expect(identity({}, 'cta_row')).not.toBe(first);
    expect(identity({ dtype: 'bf16' }, 'warp_row')).not.toBe(first);
    // Only the grid differs between these two: still not A/A.
    expect(identity({ rows: 65 }, 'warp_row')).not.toBe(identity({ rows: 69 }, 'warp_row'));
  });

  it('replays graphs of many launches and reports the problem\'s work', async () => {
    const session = native.open('cuda', rmsnorm({ rows: 4096, cols: 4096 }));
    expect((await session.check()).passed).toBe(true);
    const batch = await session.sample({ ...options, launchesPerSample: 20, l2Flush: false });
    expect(batch.samplesMs.every((ms) => ms > 0)).toBe(true);
    expect(session.work).toEqual({ flops: 4 * 4096 * 4096, bytes: (2 * 4096 * 4096 + 4096) * 2 });
    session.close();
  });

  it('reports a shape larger than the card as out of memory, and keeps working after', async () => {
    expect(() => native.open('cuda', rmsnorm({ rows: 2 ** 31 - 1, cols: 2 ** 24 }))).toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_OUT_OF_MEMORY', message: expect.stringMatching(/^rmsnorm\/fp16\/rows2147483647_cols16777216: needs .* of device memory; .* is free$/) }),
    );
    const session = native.open('cuda', rmsnorm());
    expect((await session.check()).passed).toBe(true);
    session.close();
  });
});
