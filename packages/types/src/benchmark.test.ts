import { describe, expect, it } from 'vitest';
import { benchmarkId, isBenchmarkId, type Benchmark } from './benchmark.js';
import type { ProblemSpec } from './problem.js';
import { checkBenchmarkAgainst } from './validate-benchmark.js';

const attention: ProblemSpec = {
  name: 'flash_fwd', summary: 'attention forward', variants: ['a'], backends: ['cpu'], source: { kind: 'builtin' },
  params: [
    { name: 'dtype', type: 'enum', values: ['fp16', 'bf16'] },
    { name: 'B', type: 'int', min: 1, max: 65535 }, { name: 'H', type: 'int', min: 1, max: 65535 },
    { name: 'S', type: 'int', min: 1, max: 1 << 30 }, { name: 'D', type: 'int', min: 1, max: 256, values: [64, 128] },
    { name: 'causal', type: 'bool' },
  ],
};
const where = { file: 'ratchet.config.json', field: 'suites.cuda[0]' };

describe('benchmarkId', () => {
  it('keeps the attention ids of earlier versions', () => {
    expect(benchmarkId({ kernel: 'flash_fwd', dtype: 'fp16', B: 32, H: 8, S: 512, D: 64, causal: false })).toBe('flash_fwd/fp16/B32_H8_S512_D64');
    expect(benchmarkId({ kernel: 'flash_fwd', dtype: 'bf16', B: 4, H: 16, S: 4096, D: 128, causal: true })).toBe('flash_fwd/bf16/B4_H16_S4096_D128_causal');
  });
  it('builds any problem\'s id from its parameters in order: names as segments, integers and true flags joined', () => {
    expect(benchmarkId({ kernel: 'rmsnorm', dtype: 'bf16', rows: 4096, cols: 8192 })).toBe('rmsnorm/bf16/rows4096_cols8192');
    expect(benchmarkId({ kernel: 'gemm', layout: 'nt', dtype: 'fp8', M: 8, fused: true, N: 16 })).toBe('gemm/nt/fp8/M8_fused_N16');
    expect(benchmarkId({ kernel: 'noop' })).toBe('noop');
  });
  it('tells an id from other text', () => {
    expect(isBenchmarkId('rmsnorm/bf16/rows4096_cols8192')).toBe(true);
    expect(isBenchmarkId('flash_fwd//B1')).toBe(false);
    expect(isBenchmarkId('has space/x')).toBe(false);
  });
});

describe('checkBenchmarkAgainst', () => {
  it('puts the parameters in the problem\'s order, so the id does not depend on how the config was written', () => {
    const written = { causal: true, S: 128, kernel: 'flash_fwd', D: 64, H: 2, B: 1, dtype: 'fp16' } as Benchmark;
    const checked = checkBenchmarkAgainst(attention, written, where);
    expect(Object.keys(checked)).toEqual(['kernel', 'dtype', 'B', 'H', 'S', 'D', 'causal']);
    expect(benchmarkId(checked)).toBe('flash_fwd/fp16/B1_H2_S128_D64_causal');
  });
  it('names the field of a value outside what the problem declares', () => {
    const base = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 2, S: 128, D: 64, causal: false };
    expect(() => checkBenchmarkAgainst(attention, { ...base, D: 96 }, where)).toThrow('ratchet.config.json: suites.cuda[0].D: expected one of 64, 128 but received 96 (number)');
    expect(() => checkBenchmarkAgainst(attention, { ...base, S: 0 }, where)).toThrow('ratchet.config.json: suites.cuda[0].S: expected an integer from 1 to 1073741824 but received 0 (number)');
    expect(() => checkBenchmarkAgainst(attention, { ...base, dtype: 'fp8' }, where)).toThrow('suites.cuda[0].dtype: expected one of "fp16", "bf16" but received "fp8" (string)');
    expect(() => checkBenchmarkAgainst(attention, { ...base, causal: 1 }, where)).toThrow('suites.cuda[0].causal: expected a boolean but received 1 (number)');
  });
  it('refuses unknown and missing parameters, listing the declared ones', () => {
    const base = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 2, S: 128, D: 64, causal: false };
    expect(() => checkBenchmarkAgainst(attention, { ...base, window: 3 }, where)).toThrow("suites.cuda[0]: unknown parameter 'window' of flash_fwd (its parameters: dtype, B, H, S, D, causal)");
    const { S: _dropped, ...missing } = base;
    expect(() => checkBenchmarkAgainst(attention, missing, where)).toThrow('suites.cuda[0].S: missing: flash_fwd needs S (an integer from 1 to 1073741824)');
  });
});
