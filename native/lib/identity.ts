// Kernel identity (docs/problem-contract.md): a SHA-256 over everything that decides what a
// session runs. Equal identities mean A/A; so every part that can change the GPU's work with the
// same source (device code, launch geometry, shared memory, function attributes, the variant)
// is in it, and an unknown part makes the whole identity unknown (null), never a guess.
import { createHash } from 'node:crypto';
import type { KernelLaunch } from './addon.js';

/** arch -> mangled kernel name (or CPU function name) -> sha256 of its machine code. */
export type IdentityTable = Record<string, Record<string, string>>;

/** One launched kernel with the hash of the device code it runs (null when unknown). */
export interface IdentifiedKernel extends KernelLaunch {
  code: string | null;
}

export type IdentityParts =
  | {
      /** The device's architecture key, e.g. `sm_90`. */
      arch: string;
      variant: string;
      /** Every kernel one launch enqueues, in order. */
      kernels: IdentifiedKernel[];
      /** Every node's kind in the captured graph, in order (a launch that adds a copy differs). */
      graphNodes: string[];
      /**
       * A plugin's host code (plugin-code.ts), which launches its kernels: the parameters they are
       * passed change with it. Absent for the built-ins, whose kernel hashes already cover theirs
       * (kernel-identity.mjs); null when unknown.
       */
      hostCode?: string | null;
    }
  | {
      arch: 'cpu';
      variant: string;
      /** The hash of the code the variant runs (a built-in's function, a plugin's code). */
      code: string | null;
    };

function sortedAttributes(attributes: Record<string, number>): [string, number][] {
  return Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `<arch>:<sha256>` of the parts, or null when any device-code hash is unknown (or a CUDA launch
 * enqueued no kernel to identify). A pure function of its input: same parts, same identity.
 */
export function composeIdentity(parts: IdentityParts): string | null {
  let canonical: unknown;
  if ('kernels' in parts) {
    if (parts.kernels.length === 0 || parts.kernels.some((k) => k.code === null || k.name === null) || parts.hostCode === null) return null;
    canonical = {
      variant: parts.variant,
      graphNodes: parts.graphNodes,
      kernels: parts.kernels.map((k) => [k.name, k.code, k.grid, k.block, k.cluster, k.dynamicSmemBytes, sortedAttributes(k.attributes)]),
      ...(parts.hostCode === undefined ? {} : { hostCode: parts.hostCode }),
    };
  } else {
    if (parts.code === null) return null;
    canonical = { variant: parts.variant, code: parts.code };
  }
  return `${parts.arch}:${createHash('sha256').update(JSON.stringify(canonical)).digest('hex')}`;
}

/** `sm_90` for compute capability `9.0`; null when unknown. */
export function archOf(computeCapability: string | null | undefined): string | null {
  const match = /^(\d+)\.(\d+)$/.exec(computeCapability ?? '');
  return match ? `sm_${match[1]}${match[2]}` : null;
}

/**
 * The code keys (`sm_90a`, `sm_90`, `sm_86`, `compute_80`, ...) among `available` whose code a
 * device of `computeCapability` runs, in the order the driver prefers them: an exact cubin
 * (the architecture-specific `a` build first), a cubin of the same major and a lower minor, then
 * PTX of the highest version not above the device (compiled when loaded).
 */
export function runnableCode(computeCapability: string | null | undefined, available: readonly string[]): string[] {
  const match = /^(\d+)\.(\d+)$/.exec(computeCapability ?? '');
  if (!match) return [];
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const device = major * 10 + minor;
  const ranked: [number, string][] = [];
  for (const key of available) {
    const code = /^(sm|compute)_(\d+)(\d)([af]?)$/.exec(key);
    if (!code) continue;
    const [, kind, keyMajorText, keyMinorText, suffix] = code;
    const keyMajor = Number(keyMajorText);
    const keyMinor = Number(keyMinorText);
    const exact = keyMajor === major && keyMinor === minor;
    if (kind === 'sm') {
      if (suffix === 'a' ? exact : keyMajor === major && keyMinor <= minor) ranked.push([suffix === 'a' ? 0 : 1 + (minor - keyMinor), key]);
    } else if (suffix === 'a' ? exact : keyMajor * 10 + keyMinor <= device) {
      ranked.push([100 + device - (keyMajor * 10 + keyMinor), key]);
    }
  }
  return ranked.sort((a, b) => a[0] - b[0]).map(([, key]) => key);
}

/** The hash of kernel `name` in the first runnable architecture of the table that has it; null when none. */
export function lookupKernelCode(table: IdentityTable, computeCapability: string | null | undefined, name: string | null): string | null {
  if (name === null) return null;
  for (const arch of runnableCode(computeCapability, Object.keys(table))) {
    const hash = table[arch]?.[name];
    if (typeof hash === 'string') return hash;
  }
  return null;
}
