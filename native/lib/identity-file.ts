// A build's kernel-identity.json (native/scripts/kernel-identity.mjs), beside its .node file: the
// hash of each kernel's machine code per architecture. Read here for the sessions' identities,
// and checked here for `run --base`, which skips what both builds run identically only when each
// build's file says what this device runs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Backend } from '@ratchet/types';
import { runnableCode, type IdentityTable } from './identity.js';

/** The identity file beside the addon at `addonPath`. */
export function identityFilePath(addonPath: string): string {
  return join(dirname(addonPath), 'kernel-identity.json');
}

/** The build's identity table, or why there is none, in words. */
export function readIdentityFile(addonPath: string): { table: IdentityTable } | { problem: string } {
  const file = identityFilePath(addonPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `${file} is missing` : `${file} could not be read (${code ?? (error as Error).message})` };
  }
  try {
    const parsed = JSON.parse(text) as { schemaVersion?: unknown; kernels?: unknown };
    if (parsed.schemaVersion === 1 && parsed.kernels && typeof parsed.kernels === 'object' && !Array.isArray(parsed.kernels)) return { table: parsed.kernels as IdentityTable };
    return { problem: `${file} is not a kernel identity file (expected schemaVersion 1 and kernels)` };
  } catch (error) {
    return { problem: `${file} could not be read (${(error as Error).message.split('\n')[0]})` };
  }
}

/**
 * Why the build at `addonPath` cannot name the code its kernels run on `device`, in one line; null
 * when it can: its identity file is there, readable, and holds code of this device's architecture
 * (the CPU's, or a cubin the GPU runs).
 */
export function identityFileProblem(addonPath: string, device: { backend: Backend; computeCapability: string | null }): string | null {
  const read = readIdentityFile(addonPath);
  if ('problem' in read) return read.problem;
  const archs = Object.keys(read.table).sort();
  const held = archs.length > 0 ? archs.join(', ') : 'nothing';
  if (device.backend === 'cpu') return archs.includes('cpu') ? null : `${identityFilePath(addonPath)} holds no CPU kernels (it holds ${held})`;
  const gpuArchs = archs.filter((arch) => arch !== 'cpu');
  if (runnableCode(device.computeCapability, gpuArchs).length > 0) return null;
  return `${identityFilePath(addonPath)} holds machine code for ${held}, none of which this GPU (compute capability ${device.computeCapability ?? 'unknown'}) runs`;
}
