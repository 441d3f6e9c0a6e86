// A published @ratchet/native loads its prebuilt binary, and says what is wrong with one it cannot
// load: each case is a package laid out as npm installs it (prebuilds/<platform>-<arch>/), made
// from this workspace's build.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFailureCause } from '../lib/binaries.js';
import { loadNativePackage, nativeAddonPath } from '../lib/index.js';
import { prebuiltName, publishBuild } from '../scripts/prebuild.mjs';

const built = nativeAddonPath()!;
const here = `${process.platform}-${process.arch}`;

/** A package root with the workspace's build as its prebuilt binary; `published`: with the sources a published package ships. */
function installedPackage({ published = true } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'ratchet-native-pkg-'));
  if (published) mkdirSync(join(root, 'kernels'));
  const { path } = publishBuild(built, join(root, 'prebuilds', here));
  return { root, prebuilt: path };
}

/** The error loadNativePackage throws for `root`, as text. */
function failure(root: string): string {
  try {
    loadNativePackage(root);
  } catch (error) {
    expect(error).toMatchObject({ code: 'ERR_RATCHET_NATIVE_LOAD' });
    return (error as Error).message;
  }
  throw new Error(`${root}: loaded`);
}

/** Rewrites the binary's record after changing it on purpose, as a release packing the wrong file would. */
function rerecord(prebuilt: string) {
  const infoPath = join(prebuilt, '..', 'build-info.json');
  const info = JSON.parse(readFileSync(infoPath, 'utf8'));
  const bytes = readFileSync(prebuilt);
  info.binary = { ...info.binary, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  writeFileSync(infoPath, JSON.stringify(info));
}

describe('a published @ratchet/native: its prebuilt binary, or why not', () => {
  it('loads the prebuilt binary for this platform when the package has no build of its own', () => {
    const { root, prebuilt } = installedPackage();
    const { addon, path } = loadNativePackage(root);
    expect(path).toBe(prebuilt);
    expect(path.endsWith(join('prebuilds', here, prebuiltName()))).toBe(true);
    expect(addon.compiledBackends()).toContain('cpu');
  });

  it('takes a build of its own (a source build on install) before the prebuilt one', () => {
    const { root } = installedPackage();
    mkdirSync(join(root, 'build/Release'), { recursive: true });
    for (const file of ['ratchet_native.node', 'build-info.json', 'kernel-identity.json']) copyFileSync(join(built, '..', file), join(root, 'build/Release', file));
    expect(loadNativePackage(root).path).toBe(join(root, 'build/Release/ratchet_native.node'));
  });

  it('a truncated binary: corrupted, with both sizes, and reinstalling first among the solutions', () => {
    const { root, prebuilt } = installedPackage();
    const size = readFileSync(prebuilt).length;
    truncateSync(prebuilt, 4096);
    const message = failure(root);
    expect(message.split('\n')[0]).toContain(`prebuilds/${here}/${prebuiltName()}: corrupted: 4096 bytes, where its build wrote ${size} (an interrupted copy or download)`);
    expect(message.split('\n').slice(1, 3)).toEqual(['Possible solutions:', '- reinstall the package, whose files were damaged after install: `rm -rf node_modules/@ratchet/native && npm install`']);
  });

  it('bytes changed in place (same size): corrupted, by its sha256, and never loaded', () => {
    const { root, prebuilt } = installedPackage();
    const bytes = readFileSync(prebuilt);
    bytes.fill(0x90, bytes.length >> 1, (bytes.length >> 1) + 64);
    writeFileSync(prebuilt, bytes);
    expect(failure(root)).toContain(': corrupted: its sha256 is not the one its build recorded');
  });

  it.skipIf(here !== 'linux-x64')('a binary for another architecture filed under linux-x64: named as such, and building from source offered', () => {
    const { root, prebuilt } = installedPackage();
    const bytes = readFileSync(prebuilt);
    bytes.writeUInt16LE(183, 18); // e_machine: AArch64
    writeFileSync(prebuilt, bytes);
    rerecord(prebuilt);
    const message = failure(root);
    expect(message.split('\n')[0]).toContain(`${prebuiltName()}: a binary for linux-arm64, not for this machine (linux-x64)`);
    expect(message).toContain(
      '- build it from the sources this package ships (needs cmake >= 3.18, a C++17 compiler, and make or ninja; nvcc adds the CUDA backend): run the command again ' +
        `with RATCHET_BUILD_FROM_SOURCE=1 (the first load builds it, later ones use that build), or \`node ${join(root, 'scripts', 'build.mjs')}\``,
    );
  });

  it('a file that is no library at all: not ELF, named as such', () => {
    const { root, prebuilt } = installedPackage();
    writeFileSync(prebuilt, 'Mach-O or garbage: not a Linux library');
    rerecord(prebuilt);
    expect(failure(root)).toContain(': not an ELF shared library: corrupted, or built for another operating system');
  });

  it('no prebuilt binary for this platform: says so, the platforms it has, and how to build it here', () => {
    const { root } = installedPackage();
    renameSync(join(root, 'prebuilds', here), join(root, 'prebuilds', 'darwin-arm64'));
    const message = failure(root);
    expect(message.split('\n')[0]).toMatch(new RegExp(`could not be loaded on ${here}, Node v[\\d.]+: no build in build/Release and no prebuilt binary for ${here} in prebuilds/$`));
    expect(message).toContain('- install where a prebuilt binary fits: this version has darwin-arm64 (glibc >= ');
    expect(message).toContain('run the command again with RATCHET_BUILD_FROM_SOURCE=1');
  });

  it('in the repository (no kernels/ inside the package): the one solution is to build it', () => {
    const { root } = installedPackage({ published: false });
    cpSync(join(root, 'prebuilds', here), join(root, 'prebuilds', 'solaris-sparc'), { recursive: true });
    renameSync(join(root, 'prebuilds', here), join(root, 'elsewhere'));
    expect(failure(root).split('\n').slice(1)).toEqual(['Possible solutions:', '- build it on this machine: `pnpm build` (or `node native/scripts/build.mjs`; it needs cmake >= 3.18, a C++17 compiler, and make or ninja; nvcc adds the CUDA backend)']);
  });

  it('RATCHET_BUILD_FROM_SOURCE=1 where the toolchain is missing: the build says what is missing, the load fails as ERR_RATCHET_NATIVE_LOAD', () => {
    const { root } = installedPackage();
    cpSync(join(built, '../../../scripts'), join(root, 'scripts'), { recursive: true });
    const saved = { flag: process.env.RATCHET_BUILD_FROM_SOURCE, path: process.env.PATH };
    Object.assign(process.env, { RATCHET_BUILD_FROM_SOURCE: '1', PATH: mkdtempSync(join(tmpdir(), 'ratchet-no-tools-')) });
    try {
      expect(failure(root)).toBe(`the native addon could not be built from source in ${root} (RATCHET_BUILD_FROM_SOURCE=1; exit 1): its output is above`);
    } finally {
      Object.assign(process.env, { RATCHET_BUILD_FROM_SOURCE: saved.flag, PATH: saved.path });
      if (saved.flag === undefined) delete process.env.RATCHET_BUILD_FROM_SOURCE;
    }
  });

  it('a binary that passed its checks but did not load: the C library it needs against the one here', () => {
    const { prebuilt } = installedPackage();
    const infoPath = join(prebuilt, '..', 'build-info.json');
    const info = JSON.parse(readFileSync(infoPath, 'utf8'));
    writeFileSync(infoPath, JSON.stringify({ ...info, binary: { ...info.binary, glibc: '2.38' } }));
    expect(loadFailureCause(prebuilt, '2.31')).toBe('it needs glibc >= 2.38; this system has glibc 2.31');
    expect(loadFailureCause(prebuilt, null)).toBe("it needs glibc >= 2.38; this system's C library is not glibc (musl, as on Alpine?)");
    expect(loadFailureCause(prebuilt, '2.39')).toBeNull();
  });
});
