import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Benchmark, ProblemSpec } from '@ratchet/types';
import { loadNative, nativeAddonPath } from '../lib/index.js';
import { readIdentityFile } from '../lib/identity-file.js';
import { builtinCpuKernels, builtinNames } from '../scripts/builtins.mjs';

const nativeDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = loadNative();
const builtins = native.problems().filter((problem) => problem.source.kind === 'builtin');

/** The smallest benchmark of a problem: each int at its minimum, each enum its first value, each bool false. */
function smallest(problem: ProblemSpec): Benchmark {
  const benchmark: Benchmark = { kernel: problem.name };
  for (const param of problem.params) benchmark[param.name] = param.type === 'int' ? (param.values?.[0] ?? param.min) : param.type === 'enum' ? param.values[0]! : false;
  return benchmark;
}

describe('built-in problems, registered like plugins (src/builtin/builtin.h)', () => {
  it('builtins.txt names a directory of src/builtin for each, whose CPU kernels the build hashes', () => {
    const names = builtinNames(nativeDir);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(readdirSync(join(nativeDir, 'src', 'builtin', name)), name).toEqual(expect.arrayContaining(['cpu.cc']));
    expect(builtinCpuKernels(nativeDir)).toEqual(names.map((name) => `src/builtin/${name}/cpu_kernels.cc`).filter((file) => existsSync(join(nativeDir, file))));
    expect(builtins.map((problem) => problem.name)).toEqual(['flash_fwd', 'rmsnorm']);
  });

  it('every CPU variant of every built-in times a function of its own, found in the build identity file', () => {
    const read = readIdentityFile(nativeAddonPath()!);
    const hashes = 'table' in read ? (read.table.cpu ?? {}) : {};
    const timed: string[] = [];
    for (const problem of builtins.filter((p) => p.backends.includes('cpu'))) {
      const benchmark = smallest(problem);
      const variants = native.variants('cpu', benchmark);
      expect(variants.length, problem.name).toBeGreaterThan(0);
      for (const variant of variants) {
        const session = native.open('cpu', benchmark, { variant });
        timed.push(session.kernel.symbol ?? `${problem.name} ${variant}: no symbol`);
        session.close();
      }
    }
    // Two variants naming one function would be taken for the same code (A/A) whatever they run.
    expect(new Set(timed).size).toBe(timed.length);
    for (const symbol of timed) expect(hashes[symbol], symbol).toMatch(/^[0-9a-f]{64}$/);
  });
});
