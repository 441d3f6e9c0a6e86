import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonCandidates, buildHarness, buildInfo, harnessFileList, harnessHash, loadNativeFrom, nativeAddonPath, sourceFileList, sourceHash } from '../lib/index.js';

/** A small checkout: the files a build is made from, and some it is not. */
function checkout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ratchet-sources-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const sources = {
  'kernels/rmsnorm.cu': '__global__ void k() {}\n',
  'kernels/CMakeLists.txt': 'add_library(k STATIC rmsnorm.cu)\n',
  'native/src/addon.cc': 'int main() {}\n',
  'native/include/ratchet/problem.h': '#define RATCHET_PROBLEM_ABI_VERSION 1u\n',
  'native/CMakeLists.txt': 'project(x)\n',
};

describe('source hash: which sources a native build is made from', () => {
  it('lists the C, C++, CUDA and CMake sources of kernels/, native/src, native/include, sorted', () => {
    const root = checkout({ ...sources, 'kernels/README.md': '# docs\n', 'native/lib/index.ts': 'export {};\n', 'native/src/builtin/x.h': '#pragma once\n', 'native/src/builtin/builtins.txt': 'x\n' });
    // The sources with the two added, sorted (`sources` lists them out of order); the docs and the TypeScript left out.
    expect(sourceFileList(root)).toEqual([...Object.keys(sources), 'native/src/builtin/builtins.txt', 'native/src/builtin/x.h'].sort());
  });

  it('is the same for the same sources anywhere, and changes with any source byte or name', () => {
    const hash = sourceHash(checkout(sources));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sourceHash(checkout(sources))).toBe(hash);
    expect(sourceHash(checkout({ ...sources, 'kernels/rmsnorm.cu': '__global__ void k() { }\n' }))).not.toBe(hash);
    expect(sourceHash(checkout({ ...sources, 'native/src/added.cc': '' }))).not.toBe(hash);
    expect(sourceHash(checkout({ ...sources, 'native/CMakeLists.txt': 'project(y)\n' }))).not.toBe(hash);
  });

  it('ignores docs, TypeScript and kernels/dev, which cannot change what is built', () => {
    const hash = sourceHash(checkout(sources));
    expect(sourceHash(checkout({ ...sources, 'kernels/README.md': 'new words\n', 'native/lib/index.ts': 'export const x = 1;\n', 'kernels/dev/bench.cu': 'int main() {}\n' }))).toBe(hash);
  });

  it('a published package (kernels/, src/, include/ inside it) hashes as the checkout it was packed from', () => {
    const published = Object.fromEntries(Object.entries(sources).map(([path, text]) => [path.replace(/^native\//, ''), text]));
    expect(sourceFileList(checkout(published))).toEqual(sourceFileList(checkout(sources)));
    expect(sourceHash(checkout(published))).toBe(sourceHash(checkout(sources)));
  });
});

describe('harness hash: the sources that time a kernel, less the kernels', () => {
  const withCpuKernels = { ...sources, 'native/src/builtin/rmsnorm/cpu_kernels.cc': 'void cpuRmsnormTwoPass() {}\n', 'native/src/builtin/rmsnorm/cpu.cc': 'void setup() {}\n' };

  it("lists every source but kernels/ and the built-ins' CPU kernels (hashed per function instead)", () => {
    expect(harnessFileList(checkout(withCpuKernels))).toEqual([
      'native/CMakeLists.txt',
      'native/include/ratchet/problem.h',
      'native/src/addon.cc',
      'native/src/builtin/rmsnorm/cpu.cc',
    ]);
  });

  it('stays the same when only a kernel changes, and changes with any byte of the harness', () => {
    const hash = harnessHash(checkout(withCpuKernels));
    expect(harnessHash(checkout({ ...withCpuKernels, 'kernels/rmsnorm.cu': '__global__ void k() { }\n' }))).toBe(hash);
    expect(harnessHash(checkout({ ...withCpuKernels, 'native/src/builtin/rmsnorm/cpu_kernels.cc': 'void cpuRmsnormTwoPass() { }\n' }))).toBe(hash);
    expect(harnessHash(checkout({ ...withCpuKernels, 'native/src/addon.cc': 'int main() { }\n' }))).not.toBe(hash);
    expect(harnessHash(checkout({ ...withCpuKernels, 'native/src/builtin/rmsnorm/cpu.cc': 'void setup() { }\n' }))).not.toBe(hash);
  });
});

describe('build harness: which harness a built addon times with', () => {
  const info = (fields: Record<string, unknown>) => JSON.stringify({ schemaVersion: 1, sourceHash: 'f'.repeat(64), builtAt: '2026-12-01T00:00:00.000Z', cuda: false, architectures: null, node: 'v20.20.2', ...fields });

  it('the built addon records its harness hash, that of this checkout', () => {
    const path = nativeAddonPath()!;
    const root = join(dirname(path), '..', '..', '..');
    expect(buildHarness(path, null)).toEqual({ hash: harnessHash(root) });
  });

  it("reads an older build's from its checkout when the checkout's sources are the build's, and says when it cannot", () => {
    const root = checkout(sources);
    const addon = join(root, 'native/build/Release/ratchet_native.node');
    mkdirSync(dirname(addon), { recursive: true });
    expect(buildHarness(addon, root)).toEqual({ unknown: `${addon} has no readable build-info.json beside it: the sources it was built from are unknown` });
    writeFileSync(join(dirname(addon), 'build-info.json'), info({ sourceHash: sourceHash(root) }));
    expect(buildHarness(addon, root)).toEqual({ hash: harnessHash(root) });
    writeFileSync(join(dirname(addon), 'build-info.json'), info({}));
    expect(buildHarness(addon, root)).toEqual({ unknown: `${addon} was built by an older Ratchet that recorded no harness hash, from sources other than its checkout's` });
    writeFileSync(join(dirname(addon), 'build-info.json'), info({ harnessHash: 'e'.repeat(64) }));
    expect(buildHarness(addon, root)).toEqual({ hash: 'e'.repeat(64) });
  });
});

describe('build info: what the built addon was made from', () => {
  it('the built addon carries build-info.json with its source hash', () => {
    const path = nativeAddonPath();
    expect(addonCandidates).toContain(path);
    const info = buildInfo(path!);
    expect(info).toMatchObject({ schemaVersion: 1, sourceHash: expect.stringMatching(/^[0-9a-f]{64}$/), harnessHash: expect.stringMatching(/^[0-9a-f]{64}$/), cuda: expect.any(Boolean), node: expect.stringMatching(/^v\d+/) });
    expect(Number.isNaN(Date.parse(info!.builtAt))).toBe(false);
  });

  it('is null for a build without one, or with one that is not ours', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-build-'));
    expect(buildInfo(join(dir, 'ratchet_native.node'))).toBeNull();
    writeFileSync(join(dir, 'build-info.json'), '{"schemaVersion": 1, "sourceHash": "abc"}');
    expect(buildInfo(join(dir, 'ratchet_native.node'))).toBeNull();
    writeFileSync(join(dir, 'build-info.json'), 'not json');
    expect(buildInfo(join(dir, 'ratchet_native.node'))).toBeNull();
    writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ schemaVersion: 1, sourceHash: 'f'.repeat(64), builtAt: '2026-12-01T00:00:00.000Z', cuda: false, architectures: null, node: 'v20.20.2' }));
    expect(buildInfo(join(dir, 'ratchet_native.node'))).toEqual({ schemaVersion: 1, sourceHash: 'f'.repeat(64), builtAt: '2026-12-01T00:00:00.000Z', cuda: false, architectures: null, node: 'v20.20.2' });
  });
});

describe('loadNativeFrom: another build beside ours', () => {
  it('takes a path relative to the working directory (require alone reads it as a package name)', () => {
    const built = nativeAddonPath();
    expect(built, 'the addon is built before the native tests run').not.toBeNull();
    const addon = loadNativeFrom(relative(process.cwd(), built!));
    expect(addon.compiledBackends()).toContain('cpu');
  });

  it('names the file when there is no addon there', () => {
    expect(() => loadNativeFrom('no/such/ratchet_native.node')).toThrow(/no\/such\/ratchet_native\.node: the addon could not be loaded/);
  });
});
