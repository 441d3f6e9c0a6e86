import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeIdentity, lookupKernelCode, runnableCode, type IdentifiedKernel, type IdentityParts } from '../lib/identity.js';
import { fatbinEntries, missingDeviceCode, pluginCode, pluginKernelCode } from '../lib/plugin-code.js';
import { parseElf } from '../scripts/kernel-identity.mjs';
import { hasCompiler } from '../scripts/test-plugins.mjs';
import { pluginBuiltElsewhere, pluginPath, pluginUnavailable } from './plugins.js';

const kernel = (over: Partial<IdentifiedKernel> = {}): IdentifiedKernel => ({
  name: '_ZN7ratchet7kernels20rmsnormWarpRowKernelI6__halfEEvPKT_S5_PS3_llf',
  code: 'a'.repeat(64),
  grid: [2048, 1, 1],
  block: [128, 1, 1],
  cluster: [0, 0, 0],
  dynamicSmemBytes: 0,
  attributes: { registers: 32, staticSmemBytes: 0, maxDynamicSmemBytes: 48 * 1024, localBytes: 0 },
  ...over,
});
const launch = (kernels: IdentifiedKernel[], over: Partial<IdentityParts> = {}): IdentityParts => ({ arch: 'sm_90', variant: 'warp_row', kernels, graphNodes: kernels.map(() => 'kernel'), ...over }) as IdentityParts;

describe('kernel identity: a pure function of everything that decides what runs', () => {
  const base = composeIdentity(launch([kernel()]));

  it('is <arch>:<sha256>, and the same inputs give the same identity', () => {
    expect(base).toMatch(/^sm_90:[0-9a-f]{64}$/);
    expect(composeIdentity(launch([kernel()]))).toBe(base);
  });

  it('does not depend on the order attributes are listed in', () => {
    const reordered = kernel({ attributes: { localBytes: 0, maxDynamicSmemBytes: 48 * 1024, staticSmemBytes: 0, registers: 32 } });
    expect(composeIdentity(launch([reordered]))).toBe(base);
  });

  const changes: [string, IdentityParts][] = [
    ['the grid alone', launch([kernel({ grid: [4096, 1, 1] })])],
    ['the block alone', launch([kernel({ block: [256, 1, 1] })])],
    ['the cluster alone', launch([kernel({ cluster: [2, 1, 1] })])],
    ['the dynamic shared memory alone', launch([kernel({ dynamicSmemBytes: 1024 })])],
    ['one attribute alone (max dynamic shared memory set by the host)', launch([kernel({ attributes: { ...kernel().attributes, maxDynamicSmemBytes: 96 * 1024 } })])],
    ['the device code alone', launch([kernel({ code: 'b'.repeat(64) })])],
    ['the kernel name alone', launch([kernel({ name: '_Z5otherv' })])],
    ['the variant alone', launch([kernel()], { variant: 'cta_row' })],
    ['the architecture alone', launch([kernel()], { arch: 'sm_80' })],
    ['a second kernel in the launch', launch([kernel(), kernel()])],
    ['a memset added before the kernel', launch([kernel()], { graphNodes: ['memset', 'kernel'] })],
    ["a plugin's host code (what it passes its kernels)", launch([kernel()], { hostCode: 'e'.repeat(64) })],
  ];
  for (const [what, parts] of changes) {
    it(`changes with ${what}`, () => {
      expect(composeIdentity(parts)).not.toBe(base);
      expect(composeIdentity(parts)).toMatch(/^sm_\d+:[0-9a-f]{64}$/);
    });
  }

  it('is unknown (null) when any kernel\'s code or name is unknown, or a launch enqueued no kernel', () => {
    expect(composeIdentity(launch([kernel(), kernel({ code: null })]))).toBeNull();
    expect(composeIdentity(launch([kernel({ name: null })]))).toBeNull();
    expect(composeIdentity(launch([]))).toBeNull();
    expect(composeIdentity(launch([kernel()], { hostCode: null }))).toBeNull();
  });

  it("tells two plugin host codes apart, and keeps one host code's identity stable", () => {
    const withHost = (hostCode: string) => composeIdentity(launch([kernel()], { hostCode }));
    expect(withHost('e'.repeat(64))).toBe(withHost('e'.repeat(64)));
    expect(withHost('e'.repeat(64))).not.toBe(withHost('f'.repeat(64)));
  });

  it('on a CPU covers the code hash and the variant', () => {
    const cpu = composeIdentity({ arch: 'cpu', variant: 'cpu-cached', code: 'c'.repeat(64) });
    expect(cpu).toMatch(/^cpu:[0-9a-f]{64}$/);
    expect(composeIdentity({ arch: 'cpu', variant: 'cpu-cached', code: 'c'.repeat(64) })).toBe(cpu);
    expect(composeIdentity({ arch: 'cpu', variant: 'cpu-twopass', code: 'c'.repeat(64) })).not.toBe(cpu);
    expect(composeIdentity({ arch: 'cpu', variant: 'cpu-cached', code: 'd'.repeat(64) })).not.toBe(cpu);
    expect(composeIdentity({ arch: 'cpu', variant: 'cpu-cached', code: null })).toBeNull();
  });
});

describe('which device code a GPU runs, as the driver picks it', () => {
  it('prefers the exact cubin (its `a` build first), then a lower minor of the same major, then PTX', () => {
    expect(runnableCode('9.0', ['sm_80', 'sm_90', 'sm_90a', 'compute_90', 'compute_80'])).toEqual(['sm_90a', 'sm_90', 'compute_90', 'compute_80']);
    expect(runnableCode('8.9', ['sm_80', 'sm_86', 'sm_89', 'sm_90', 'compute_80'])).toEqual(['sm_89', 'sm_86', 'sm_80', 'compute_80']);
    expect(runnableCode('8.6', ['sm_80', 'sm_89'])).toEqual(['sm_80']);
  });
  it('never runs another major\'s cubin, an `a` build on another chip, or PTX newer than the device', () => {
    expect(runnableCode('9.0', ['sm_80', 'sm_100', 'compute_100'])).toEqual([]);
    expect(runnableCode('10.0', ['sm_90a', 'sm_90'])).toEqual([]);
    expect(runnableCode('10.0', ['sm_90', 'compute_90'])).toEqual(['compute_90']);
    expect(runnableCode(null, ['sm_90'])).toEqual([]);
  });
  it('looks a kernel up in the build identity table by the code the device would run', () => {
    const table = { sm_80: { k: '80'.repeat(32) }, sm_90: { k: '90'.repeat(32) }, cpu: { k: 'cc'.repeat(32) } };
    expect(lookupKernelCode(table, '9.0', 'k')).toBe('90'.repeat(32));
    expect(lookupKernelCode(table, '8.6', 'k')).toBe('80'.repeat(32));
    expect(lookupKernelCode(table, '9.0', 'other')).toBeNull();
    expect(lookupKernelCode(table, '10.0', 'k')).toBeNull();
  });
});

const noNvcc = pluginUnavailable('cuda-axpy');
describe.skipIf(noNvcc !== null)(`a CUDA plugin's device code, read from its fatbin${noNvcc ? ` (skipped: ${noNvcc})` : ''}`, () => {
  it('lists every entry: sm_80 and sm_90 cubins, compute_90 PTX', () => {
    const entries = fatbinEntries(parseElf(readFileSync(pluginPath('cuda-axpy'))));
    const archs = new Set(entries.map((e) => `${e.kind}:${e.arch}`));
    expect([...archs].sort()).toEqual(['cubin:sm_80', 'cubin:sm_90', 'ptx:compute_90']);
  }, 120_000);

  it('hashes each kernel of each cubin by its SASS: the kernels of sm_80 and sm_90 differ', () => {
    const code = pluginCode(readFileSync(pluginPath('cuda-axpy')));
    const name = Object.keys(code.kernels.sm_90 ?? {}).find((k) => k.includes('ratchet_axpy4axpy'))!;
    expect(name).toMatch(/^_ZN12ratchet_axpy4axpyEPKfS1_Pfl$/);
    expect(pluginKernelCode(code, '9.0', name)).toMatch(/^[0-9a-f]{64}$/);
    expect(pluginKernelCode(code, '8.0', name)).toMatch(/^[0-9a-f]{64}$/);
    expect(pluginKernelCode(code, '9.0', name)).not.toBe(pluginKernelCode(code, '8.0', name));
    // A future chip compiles the PTX: identified by the stored PTX as a whole.
    expect(pluginKernelCode(code, '10.0', name)).toBe(code.kernels.compute_90?.['*']);
    expect(code.deviceCode).toBe('compute_90, sm_80, sm_90');
  }, 120_000);

  it('says which GPUs a single-architecture build cannot run, and how to rebuild', () => {
    const code = pluginCode(readFileSync(pluginPath('cuda-axpy-sm80-only')));
    expect(missingDeviceCode(code, { name: 'NVIDIA H200', computeCapability: '9.0' })).toBe(
      'has no device code for this GPU (NVIDIA H200, sm_90): it carries sm_80; rebuild it with -gencode arch=compute_90,code=sm_90',
    );
    expect(missingDeviceCode(code, { name: 'NVIDIA A100', computeCapability: '8.0' })).toBeNull();
  }, 120_000);

  it.skipIf(!hasCompiler('nvcc'))('rebuilt unchanged from another directory, a plugin hashes the same', () => {
    const [a, b] = [pluginCode(readFileSync(pluginPath('cuda-axpy-sm90-only'))), pluginCode(readFileSync(pluginBuiltElsewhere('cuda-axpy-sm90-only')))];
    expect(Object.keys(a.kernels.sm_90 ?? {}).length).toBeGreaterThan(0);
    expect(b.kernels).toEqual(a.kernels);
  }, 120_000);
});

describe.skipIf(!hasCompiler('g++'))('a CPU plugin\'s code', () => {
  it('is its executable sections: equal when rebuilt unchanged from another directory, no device code', () => {
    const first = pluginCode(readFileSync(pluginPath('cpu-matmul')));
    const again = pluginCode(readFileSync(pluginBuiltElsewhere('cpu-matmul')));
    expect(first.hostCode).toMatch(/^[0-9a-f]{64}$/);
    expect(again.hostCode).toBe(first.hostCode);
    expect([first.archs, first.deviceCode]).toEqual([[], '']);
  }, 60_000);
});
