import { describe, expect, it } from 'vitest';
import { benchmarkId } from '@ratchet/types';
import { defaultSuites } from './defaults.js';
import { selectBenchmarks } from './suite.js';

describe('selectBenchmarks', () => {
  it('returns the whole suite when no ids are given', () => {
    expect(selectBenchmarks(defaultSuites.cuda)).toHaveLength(defaultSuites.cuda.length);
  });
  it('returns the named benchmarks in the order given', () => {
    const ids = defaultSuites.cuda.slice(0, 3).map(benchmarkId).reverse();
    expect(selectBenchmarks(defaultSuites.cuda, ids).map(benchmarkId)).toEqual(ids);
  });
  it('names the unknown id and lists the suite', () => {
    expect(() => selectBenchmarks(defaultSuites.cpu, ['flash_fwd/fp16/B1_H1_S1_D1'])).toThrow(/unknown benchmark 'flash_fwd\/fp16\/B1_H1_S1_D1' \(the suite has: flash_fwd\/fp16\/B1_H2_S128_D64/);
  });
  it('rejects a suite that holds the same benchmark twice', () => {
    const one = defaultSuites.cpu[0]!;
    expect(() => selectBenchmarks([one, { ...one }])).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_DUPLICATE_BENCHMARK' }));
  });
  it('the default CUDA suite holds the reference document configuration, the long sequences and three RMSNorm sizes', () => {
    expect(defaultSuites.cuda.map(benchmarkId)).toEqual([
      'flash_fwd/fp16/B32_H8_S512_D64', 'flash_fwd/fp16/B8_H16_S2048_D128', 'flash_fwd/fp16/B2_H16_S8192_D128',
      'flash_fwd/fp16/B16_H16_S1024_D64', 'flash_fwd/fp16/B4_H16_S4096_D128_causal',
      'flash_fwd/bf16/B32_H8_S512_D64', 'flash_fwd/bf16/B8_H16_S2048_D128', 'flash_fwd/bf16/B2_H16_S8192_D128',
      'flash_fwd/bf16/B16_H16_S1024_D64', 'flash_fwd/bf16/B4_H16_S4096_D128_causal',
      'rmsnorm/fp16/rows8192_cols4096', 'rmsnorm/fp16/rows16384_cols8192', 'rmsnorm/fp16/rows65536_cols1024',
      'rmsnorm/bf16/rows8192_cols4096', 'rmsnorm/bf16/rows16384_cols8192', 'rmsnorm/bf16/rows65536_cols1024',
    ]);
  });
  it('the default CPU suite guards both built-in problems at small sizes', () => {
    expect(defaultSuites.cpu.map(benchmarkId)).toEqual([
      'flash_fwd/fp16/B1_H2_S128_D64', 'flash_fwd/bf16/B1_H2_S128_D64', 'flash_fwd/fp16/B1_H2_S256_D64_causal', 'flash_fwd/fp16/B1_H1_S128_D128',
      'rmsnorm/fp16/rows256_cols1024', 'rmsnorm/bf16/rows64_cols4097',
    ]);
  });
});
