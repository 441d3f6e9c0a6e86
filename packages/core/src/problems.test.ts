import { describe, expect, it } from 'vitest';
import type { ProblemSpec } from '@ratchet/types';
import { checkSuite, problemCatalog } from './problems.js';

const rmsnorm: ProblemSpec = {
  name: 'rmsnorm', summary: 'y = x / rms(x) * w', variants: ['warp'], backends: ['cpu', 'cuda'], source: { kind: 'builtin' },
  params: [{ name: 'dtype', type: 'enum', values: ['fp16', 'bf16'] }, { name: 'rows', type: 'int', min: 1, max: 1 << 24 }, { name: 'cols', type: 'int', min: 1, max: 1 << 20 }],
};
const gpuOnly: ProblemSpec = { ...rmsnorm, name: 'softmax', backends: ['cuda'], source: { kind: 'process', command: ['python3', 'softmax.py'] } };
const where = { file: 'ratchet.config.json', field: 'suites.cpu' };

describe('problemCatalog', () => {
  it('refuses one name declared by two sources, naming both', () => {
    const twice = { ...rmsnorm, source: { kind: 'plugin' as const, path: '/x/libnorm.so', abiVersion: 1 } };
    expect(() => problemCatalog([rmsnorm, twice])).toThrow("problem 'rmsnorm' is declared twice: by the built-in problems and by plugin /x/libnorm.so");
  });
});

describe('checkSuite', () => {
  const catalog = problemCatalog([rmsnorm, gpuOnly]);
  it('refuses an empty suite, which would pass having measured nothing', () => {
    expect(() => checkSuite([], catalog, 'cpu', where)).toThrow(expect.objectContaining({
      code: 'ERR_RATCHET_INVALID_CONFIG', message: 'ratchet.config.json: suites.cpu: is empty, so there is nothing to measure (list benchmarks there, or leave the key out for the default suite)',
    }));
  });
  it('returns each benchmark in its problem\'s parameter order', () => {
    const [checked] = checkSuite([{ cols: 8, kernel: 'rmsnorm', rows: 3, dtype: 'bf16' }], catalog, 'cpu', where);
    expect(Object.keys(checked!)).toEqual(['kernel', 'dtype', 'rows', 'cols']);
  });
  it('names an unknown kernel, the problems there are, and where a new one is declared', () => {
    expect(() => checkSuite([{ kernel: 'layernorm', rows: 1 }], catalog, 'cpu', where)).toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_UNKNOWN_PROBLEM', message: `ratchet.config.json: suites.cpu[0].kernel: no problem named 'layernorm' (known: rmsnorm, softmax; a plugin or process that declares it goes under "plugins" or "processes")` }),
    );
  });
  it('refuses a problem on a backend it does not run on', () => {
    expect(() => checkSuite([{ kernel: 'softmax', dtype: 'fp16', rows: 1, cols: 1 }], catalog, 'cpu', where)).toThrow('ratchet.config.json: suites.cpu[0]: softmax runs on cuda, not on the cpu backend');
  });
  it('refuses a parameter outside its declared range, naming the field', () => {
    expect(() => checkSuite([{ kernel: 'rmsnorm', dtype: 'fp16', rows: 0, cols: 1 }], catalog, 'cpu', where)).toThrow('ratchet.config.json: suites.cpu[0].rows: expected an integer from 1 to 16777216 but received 0 (number)');
  });
});
