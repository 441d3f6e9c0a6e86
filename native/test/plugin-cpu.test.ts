import { copyFileSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { loadNative } from '../lib/index.js';
import { badPluginNames, pluginPath, pluginUnavailable } from './plugins.js';

const native = loadNative();
const unavailable = pluginUnavailable('cpu-matmul') ?? pluginUnavailable('failing');
const matmul = (over: Partial<Benchmark> = {}): Benchmark => ({ kernel: 'matmul_f32', M: 48, N: 40, K: 33, ...over });
const options = { warmup: 1, samples: 3, l2Flush: false, launchesPerSample: 1 };
const failing = (failIn: string): Benchmark => ({ kernel: 'failing', failIn, n: 16 });

describe.skipIf(unavailable !== null)(`a CPU plugin, built with g++ against native/include alone${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let path = '';
  beforeAll(() => {
    path = pluginPath('cpu-matmul');
    native.loadPlugin(path);
    native.loadPlugin(pluginPath('failing'));
  }, 120_000);

  it('declares its problem as a ProblemSpec, with its path and ABI version', () => {
    expect(native.loadPlugin(path)).toEqual([
      {
        name: 'matmul_f32',
        summary: 'C = A B in fp32, row-major, A [M, K] and B [K, N], on one CPU core',
        params: [
          { name: 'M', type: 'int', min: 1, max: 4096, description: 'rows of A and C' },
          { name: 'N', type: 'int', min: 1, max: 4096, description: 'columns of B and C' },
          { name: 'K', type: 'int', min: 1, max: 4096, description: 'columns of A, rows of B' },
        ],
        variants: ['blocked', 'naive'],
        backends: ['cpu'],
        source: { kind: 'plugin', path: realpathSync(path), abiVersion: 1 },
      },
    ]);
  });

  it('appears in problems() beside the built-ins, once however often it is loaded', () => {
    native.loadPlugin(path);
    const names = native.problems().map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['flash_fwd', 'rmsnorm', 'matmul_f32']));
    expect(names.filter((name) => name === 'matmul_f32')).toHaveLength(1);
  });

  it('opens like a built-in: variants default first, a passing check, samples, work from the plugin', async () => {
    expect(native.variants('cpu', matmul())).toEqual(['blocked', 'naive']);
    for (const variant of ['blocked', 'naive']) {
      const session = native.open('cpu', matmul(), { variant, seed: 5 });
      const result = await session.check();
      expect(result.passed, result.detail).toBe(true);
      expect(result.reference).toBe('cpu-fp64');
      expect(result.relError).toBeLessThan(1e-5);
      const batch = await session.sample(options);
      expect(batch.samplesMs).toHaveLength(3);
      expect(batch.samplesMs.every((ms) => ms > 0)).toBe(true);
      expect(session.work).toEqual({ flops: 2 * 48 * 40 * 33, bytes: 4 * (48 * 33 + 33 * 40 + 48 * 40) });
      expect([session.variant, session.backend, session.launches]).toEqual([variant, 'cpu', null]);
      session.close();
    }
  });

  it('draws fresh inputs from each seed: same seed, same checksum; next seed, another', async () => {
    const [a, b] = [native.open('cpu', matmul(), { seed: 9 }), native.open('cpu', matmul(), { seed: 9 })];
    const [first, same, next] = await Promise.all([a.check(), b.check(), a.check()]);
    expect(same.checksum).toEqual(first.checksum);
    expect(next.checksum).not.toEqual(first.checksum);
    a.close();
    b.close();
  });

  it('has an identity from its code and variant: equal for the same build, distinct per variant', () => {
    const identity = (variant: string) => {
      const session = native.open('cpu', matmul(), { variant });
      const value = session.kernelIdentity;
      expect(session.identityCoversCode).toBe(true);
      session.close();
      return value;
    };
    expect(identity('blocked')).toMatch(/^cpu:[0-9a-f]{64}$/);
    expect(identity('blocked')).toBe(identity('blocked'));
    expect(identity('naive')).not.toBe(identity('blocked'));
  });

  it('re-checks parameters natively: out of range, unknown, missing', () => {
    const cases: [Benchmark, string, RegExp][] = [
      [matmul({ M: 0 }), 'ERR_RATCHET_UNSUPPORTED_SHAPE', /^matmul_f32\/M0_N40_K33: M must be at least 1, not 0$/],
      [matmul({ K: 5000 }), 'ERR_RATCHET_UNSUPPORTED_SHAPE', /matmul_f32 supports columns of A, rows of B K from 1 to 4096, not 5000/],
      [matmul({ L: 3 }), 'ERR_RATCHET_INVALID_BENCHMARK', /benchmark\.L: unknown parameter of matmul_f32 \(its parameters: M, N, K\)/],
      [{ kernel: 'matmul_f32', M: 4, N: 4 } as Benchmark, 'ERR_RATCHET_INVALID_BENCHMARK', /benchmark\.K: expected an integer but received undefined/],
    ];
    for (const [benchmark, code, message] of cases) {
      expect(() => native.open('cpu', benchmark)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
    }
  });

  it('refuses to open a CPU-only problem on the cuda backend, naming where it runs', () => {
    const attempt = () => native.open('cuda', matmul());
    if (native.devices('cuda').length === 0) expect(attempt).toThrow(expect.objectContaining({ code: expect.stringMatching(/^ERR_RATCHET_(NO_DEVICE|DRIVER_TOO_OLD)$/) }));
    else expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_BENCHMARK', message: expect.stringMatching(/does not run on the cuda backend \(it runs on cpu\)/) }));
  });

  describe('a problem whose own functions fail: one clear error per phase, the session still usable after', () => {
    const cases: [string, string, RegExp][] = [
      ['setup', 'ERR_RATCHET_KERNEL_FAILED', /^failing\/setup\/n16: setup failed: setup refused on purpose$/],
      ['fill', 'ERR_RATCHET_KERNEL_FAILED', /^failing\/fill\/n16: fill_inputs failed: fill refused on purpose$/],
      ['launch', 'ERR_RATCHET_KERNEL_FAILED', /^failing\/launch\/n16: launch failed: launch refused on purpose$/],
      ['check', 'ERR_RATCHET_KERNEL_FAILED', /^failing\/check\/n16: check failed: check refused on purpose$/],
      ['oom', 'ERR_RATCHET_OUT_OF_MEMORY', /^failing\/oom\/n16: needs 1 TiB on purpose$/],
      ['unsupported', 'ERR_RATCHET_UNSUPPORTED_SHAPE', /^failing\/unsupported\/n16: failIn=unsupported is never supported$/],
      ['status', 'ERR_RATCHET_KERNEL_FAILED', /setup failed with status 42: a status the ABI does not define/],
    ];
    for (const [failIn, code, message] of cases) {
      it(`fails in ${failIn}: ${code}`, async () => {
        const act = async () => {
          const session = native.open('cpu', failing(failIn));
          try {
            await session.check();
          } finally {
            session.close();
          }
        };
        await expect(act()).rejects.toMatchObject({ code, name: 'RatchetError', message: expect.stringMatching(message) });
        const healthy = native.open('cpu', failing('none'));
        expect((await healthy.check()).passed).toBe(true);
        healthy.close();
      });
    }

    it('a check that claims a pass its own figures contradict does not pass, and is never timed', async () => {
      const session = native.open('cpu', failing('liar'));
      const result = await session.check();
      expect(result).toMatchObject({ passed: false, relError: 1, tolerance: 0.1, detail: 'the check reported a pass, but its relative error 1 is over its tolerance 0.1' });
      await expect(session.sample(options)).rejects.toMatchObject({ code: 'ERR_RATCHET_USAGE' });
      session.close();
    });

    it('the variant list says why nothing runs a shape its problem never supports', () => {
      expect(native.variants('cpu', failing('unsupported'))).toEqual([]);
      expect(native.variants('cpu', failing('none'))).toEqual(['only']);
    });
  });
});

describe.skipIf(unavailable !== null)('every bad plugin is one ERR_RATCHET_PLUGIN naming its path, and registers nothing', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ratchet-bad-plugins-'));
  });
  const expected: Record<string, RegExp> = {
    'bad-no-entry': /: not a Ratchet plugin: it exports no ratchet_problem_abi\(\)/,
    'bad-wrong-abi': /: built for Ratchet problem ABI version 2, but this Ratchet reads version 1 \(rebuild it against/,
    'bad-wrong-size': /: problem_size is \d+, not \d+ \(sizeof\(ratchet_problem\) of ABI version 1\)/,
    'bad-duplicate': /: declares problem 'failing' twice for cpu$/,
    'bad-no-variants': /: problem 0 \('failing'\): variant list is empty$/,
    'bad-bad-param': /: problem 0 \('failing'\): parameter 'n': min 10 is above max 1$/,
    'bad-bad-param-name': /: problem 0 \('failing'\): params\[1\]\.name '2n' must be letters and digits/,
    'bad-null-function': /: problem 0 \('failing'\): check is NULL$/,
    'bad-builtin-name': /: problem 'rmsnorm' is already declared by the built-in problems$/,
  };

  it('covers every bad fixture', () => {
    expect(Object.keys(expected).sort()).toEqual([...badPluginNames].sort());
  });

  for (const [name, message] of Object.entries(expected)) {
    it(`refuses ${name}`, () => {
      const path = pluginPath(name, dir);
      const before = native.problems();
      expect(() => native.loadPlugin(path)).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_PLUGIN', message: expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${message.source}`)) }));
      expect(native.problems()).toEqual(before);
    }, 60_000);
  }

  it('a missing file', () => {
    expect(() => native.loadPlugin(join(dir, 'nothing-here.so'))).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_PLUGIN', message: expect.stringMatching(/nothing-here\.so: no such file/) }));
  });

  it('a text file is not a shared library', () => {
    const text = join(dir, 'notes.so');
    writeFileSync(text, 'not a library\n');
    expect(() => native.loadPlugin(text)).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_PLUGIN', message: expect.stringMatching(/notes\.so: not a shared library this machine can load \(/) }));
  });

  it('a directory is not a plugin', () => {
    expect(() => native.loadPlugin(dir)).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_PLUGIN', message: expect.stringMatching(/: not a file/) }));
  });

  it('a copy of a loaded plugin at another path declares its problems a second time', () => {
    const original = pluginPath('cpu-matmul');
    native.loadPlugin(original);
    const copy = join(dir, 'copy-of-matmul.so');
    copyFileSync(original, copy);
    expect(() => native.loadPlugin(copy)).toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_PLUGIN', message: `${copy}: problem 'matmul_f32' is already declared by plugin ${realpathSync(original)}` }),
    );
  });
});
