// A plugin's code, read from its shared library: the device code nvcc embedded (the `.nv_fatbin`
// section: one fatbin per translation unit, each a list of cubins and PTX), hashed per kernel with
// the same ELF code as the build's own identity file (scripts/kernel-identity.mjs), and for CPU
// plugins the library's executable sections.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cubinIdentity, parseElf, type ElfFile } from '../scripts/kernel-identity.mjs';
import { runnableCode, type IdentityTable } from './identity.js';

const FATBIN_MAGIC = 0xba55ed50;
const ENTRY_PTX = 1;
const ENTRY_CUBIN = 2;
// Entry flags (reverse-engineered layout, as cuobjdump reads it): payload compressed (the older
// LZ-style and newer zstd forms), and code for the architecture-specific `a` target.
const FLAG_COMPRESSED = 0x2000n | 0x8000n;
const FLAG_ARCH_SPECIFIC = 0x100000n;
const SHF_EXECINSTR = 0x4n;

/** One entry of a fatbin, as stored. */
export interface FatbinEntry {
  kind: 'cubin' | 'ptx';
  /** `sm_90`, `sm_90a` (cubins) or `compute_80` (PTX). */
  arch: string;
  compressed: boolean;
  /** The stored payload (compressed bytes when compressed). */
  bytes: Uint8Array;
}

/** Every entry of every fatbin in an ELF's `.nv_fatbin` section; [] when it has none. */
export function fatbinEntries(elf: ElfFile): FatbinEntry[] {
  const section = elf.sections.find((s) => s.name === '.nv_fatbin');
  if (!section) return [];
  const data = section.data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const entries: FatbinEntry[] = [];
  let at = 0;
  while (at + 16 <= data.length) {
    if (view.getUint32(at, true) !== FATBIN_MAGIC) {
      at += 8;  // fatbins are 8-byte aligned within the section
      continue;
    }
    const headerSize = view.getUint16(at + 6, true);
    const end = Math.min(data.length, at + headerSize + Number(view.getBigUint64(at + 8, true)));
    for (let entry = at + headerSize; entry + 64 <= end; ) {
      const kind = view.getUint16(entry, true);
      const entryHeader = view.getUint32(entry + 4, true);
      const size = Number(view.getBigUint64(entry + 8, true));
      const compressedSize = view.getUint32(entry + 16, true);
      const archNumber = view.getUint32(entry + 28, true);
      const flags = view.getBigUint64(entry + 40, true);
      const compressed = (flags & FLAG_COMPRESSED) !== 0n;
      const payload = data.subarray(entry + entryHeader, entry + entryHeader + (compressed && compressedSize > 0 ? compressedSize : size));
      const suffix = (flags & FLAG_ARCH_SPECIFIC) !== 0n ? 'a' : '';
      if (kind === ENTRY_CUBIN || kind === ENTRY_PTX) {
        entries.push({ kind: kind === ENTRY_CUBIN ? 'cubin' : 'ptx', arch: `${kind === ENTRY_CUBIN ? 'sm' : 'compute'}_${archNumber}${suffix}`, compressed, bytes: payload });
      }
      if (entryHeader === 0) break;
      entry += entryHeader + size;
    }
    at = Math.max(end, at + 16);
  }
  return entries;
}

/** What Ratchet knows of one plugin's code. */
export interface PluginCode {
  /** Its device code's architectures, deduplicated ("sm_90, compute_80"); '' when it has none. */
  deviceCode: string;
  /** The architecture keys of its device code. */
  archs: string[];
  /** Per architecture: each kernel's hash (uncompressed cubins), or one hash over the stored entries (compressed cubins, PTX) under `*`. */
  kernels: IdentityTable;
  /** sha256 over the library's executable sections: a CPU plugin's kernels, and the code that launches a CUDA plugin's (identity.ts). */
  hostCode: string;
}

/** Reads and hashes a plugin's code; `bytes` is the library file. */
export function pluginCode(bytes: Uint8Array): PluginCode {
  const elf = parseElf(bytes);
  const kernels: IdentityTable = {};
  const opaque = new Map<string, ReturnType<typeof createHash>>();
  for (const entry of fatbinEntries(elf)) {
    if (entry.kind === 'cubin' && !entry.compressed) {
      kernels[entry.arch] = { ...kernels[entry.arch], ...cubinIdentity(entry.bytes).kernels };
      continue;
    }
    // Not a cubin we can read: its kernels are identified by the stored entry as a whole.
    const hash = opaque.get(entry.arch) ?? createHash('sha256');
    hash.update(entry.bytes);
    opaque.set(entry.arch, hash);
  }
  for (const [arch, hash] of opaque) kernels[arch] = { ...kernels[arch], '*': hash.digest('hex') };
  const host = createHash('sha256');
  for (const section of elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0n)) {
    host.update(`${section.name}\0${section.size}\0`);
    host.update(section.data);
  }
  const archs = Object.keys(kernels).sort();
  return { deviceCode: archs.join(', '), archs, kernels, hostCode: host.digest('hex') };
}

/** Reads a plugin file; null when it is not an ELF file (the addon's loader says what it is). */
export function readPluginCode(path: string): PluginCode | null {
  try {
    return pluginCode(readFileSync(path));
  } catch {
    return null;
  }
}

/** The hash of kernel `name` as a device of `computeCapability` would run it from this plugin; null when unknown. */
export function pluginKernelCode(code: PluginCode, computeCapability: string | null | undefined, name: string | null): string | null {
  if (name === null) return null;
  for (const arch of runnableCode(computeCapability, code.archs)) {
    const table = code.kernels[arch] ?? {};
    const hash = table[name] ?? table['*'];
    if (typeof hash === 'string') return hash;
  }
  return null;
}

/**
 * Why this GPU cannot run the plugin's device code, with how to rebuild it; null when it can (or
 * the library carries no fatbin: it may load its kernels some other way).
 */
export function missingDeviceCode(code: PluginCode, device: { name: string; computeCapability: string | null }): string | null {
  if (code.archs.length === 0 || runnableCode(device.computeCapability, code.archs).length > 0) return null;
  const cc = (device.computeCapability ?? '').replace('.', '');
  return `has no device code for this GPU (${device.name}, sm_${cc}): it carries ${code.deviceCode}; rebuild it with -gencode arch=compute_${cc},code=sm_${cc}`;
}
