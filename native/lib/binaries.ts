// Which addon binary this package can load here, and why one cannot: a build of its own
// (build/Release: the workspace's `pnpm build`, or RATCHET_BUILD_FROM_SOURCE=1's) first, then the
// prebuilt binaries it ships for this platform, in prebuildify's layout
// (prebuilds/<platform>-<arch>/<name>.napi.<libc>.node, which node-gyp-build reads too). A prebuilt
// binary is checked against what its build recorded before it is loaded (its size, its ELF header,
// its sha256: tens of ms for the CUDA build, against undefined behaviour from damaged machine code);
// the C library's version is read only to explain a binary that did not load.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildInfo } from './build-info.js';

export interface Platform {
  /** process.platform and process.arch: the prebuilds/ directory is `${platform}-${arch}`. */
  platform: string;
  arch: string;
}

export const currentPlatform = (): Platform => ({ platform: process.platform, arch: process.arch });
export const platformDir = (p: Platform) => `${p.platform}-${p.arch}`;

/** Where a package keeps its own builds: a source build, then a debug one. */
export const buildCandidates = (packageRoot: string) => [join(packageRoot, 'build/Release/ratchet_native.node'), join(packageRoot, 'build/Debug/ratchet_native.node')];

/** The prebuilt binaries for `platform` (N-API ones only: they load on any Node with N-API 8). */
export function prebuiltCandidates(packageRoot: string, platform: Platform): string[] {
  const dir = join(packageRoot, 'prebuilds', platformDir(platform));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.node') && name.split('.').includes('napi')).sort().map((name) => join(dir, name));
}

/** The platforms this package has prebuilt binaries for (`linux-x64`, ...). */
export function prebuiltPlatforms(packageRoot: string): string[] {
  const dir = join(packageRoot, 'prebuilds');
  return existsSync(dir) ? readdirSync(dir).filter((name) => readdirSync(join(dir, name)).some((file) => file.endsWith('.node'))).sort() : [];
}

/** What the build of the binary at `path` recorded about it (prebuilt binaries only). */
function recordOf(path: string) {
  const recorded = buildInfo(path)?.binary;
  return recorded?.file === basename(path) ? recorded : undefined;
}

// ELF e_machine values of the architectures Node runs on (process.arch names).
const elfMachines: Record<string, number> = { x64: 62, arm64: 183, ia32: 3, arm: 40, ppc64: 21, s390x: 22, riscv64: 243, loong64: 258 };
const archOfMachine = (machine: number) => Object.entries(elfMachines).find(([, value]) => value === machine)?.[0] ?? `ELF machine ${machine}`;

function header(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** Why the ELF file at `path` is not a Linux library for `arch`; null when it is one. */
function elfMismatch(path: string, arch: string): string | null {
  const elf = header(path, 20);
  if (elf.length < 20 || elf.readUInt32BE(0) !== 0x7f454c46) return 'not an ELF shared library: corrupted, or built for another operating system';
  const machine = elf[5] === 2 ? elf.readUInt16BE(18) : elf.readUInt16LE(18);
  const wanted = elfMachines[arch];
  if (wanted !== undefined && machine !== wanted) return `a binary for linux-${archOfMachine(machine)}, not for this machine (linux-${arch})`;
  return null;
}

/**
 * Why `path` cannot be this platform's addon, read before loading it; null when nothing speaks
 * against it. Linux only reads ELF headers: elsewhere the loader's own error says what is wrong.
 */
export function binaryMismatch(path: string, platform: Platform = currentPlatform()): string | null {
  const recorded = recordOf(path);
  const size = statSync(path).size;
  if (recorded && recorded.bytes !== size) return `corrupted: ${size} bytes, where its build wrote ${recorded.bytes} (an interrupted copy or download)`;
  const foreign = platform.platform === 'linux' ? elfMismatch(path, platform.arch) : null;
  if (foreign) return foreign;
  if (recorded && createHash('sha256').update(readFileSync(path)).digest('hex') !== recorded.sha256) {
    return 'corrupted: its sha256 is not the one its build recorded (damaged on disk or in transfer)';
  }
  return null;
}

/** The C library this process runs on, as glibc's version ("2.36"), or null for another (musl). */
export function runtimeGlibc(): string | null {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ?? null;
}

const versionNumber = (version: string) => version.split('.').reduce((total, part, index) => total + Number(part) / 1000 ** index, 0);

/**
 * Why `path`, which passed binaryMismatch but did not load, cannot load here, when its build
 * recorded enough to say: a C library older than it needs, or not glibc at all.
 */
export function loadFailureCause(path: string, glibc: string | null = runtimeGlibc()): string | null {
  const needed = recordOf(path)?.glibc;
  if (!needed) return null;
  if (glibc === null) return `it needs glibc >= ${needed}; this system's C library is not glibc (musl, as on Alpine?)`;
  if (versionNumber(glibc) < versionNumber(needed)) return `it needs glibc >= ${needed}; this system has glibc ${glibc}`;
  return null;
}
