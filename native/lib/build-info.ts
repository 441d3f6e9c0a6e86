// Which sources a build of the addon was made from (native/scripts/build.mjs writes
// build-info.json beside the .node file), and the same hash for a checkout, so a run can say that
// the addon it loads is stale (a run warns; `run --base` refuses).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { harnessHash, sourceHash } from '../scripts/source-hash.mjs';

export { harnessFileList, harnessHash, kernelSourcePatterns, sourceFileList, sourceHash } from '../scripts/source-hash.mjs';

export interface BuildInfo {
  schemaVersion: 1;
  /** sourceHash() of the checkout the build was made from. */
  sourceHash: string;
  /**
   * harnessHash() of that checkout: its sources less the kernels'. Absent in builds made before
   * it was recorded.
   */
  harnessHash?: string;
  /** When it was built (ISO 8601). */
  builtAt: string;
  /** Whether the CUDA backend was compiled in. */
  cuda: boolean;
  /** RATCHET_CUDA_ARCHITECTURES it was built with; null for the default. */
  architectures: string | null;
  /** The Node version that built it. */
  node: string;
  /**
   * A prebuilt binary's own record (scripts/prebuild.mjs), which the loader checks it against:
   * its size and sha256 as written, and the newest glibc symbol version it links (the oldest
   * glibc it loads on). Absent from builds made in place.
   */
  binary?: BinaryRecord;
}

export interface BinaryRecord {
  /** The .node file's name beside this record. */
  file: string;
  bytes: number;
  sha256: string;
  /** "2.34"; null when it links no versioned glibc symbol. */
  glibc: string | null;
}

function binaryRecord(value: unknown): BinaryRecord | undefined {
  const record = value as Partial<BinaryRecord> | null | undefined;
  if (!record || typeof record.file !== 'string' || typeof record.bytes !== 'number' || typeof record.sha256 !== 'string') return undefined;
  return { file: record.file, bytes: record.bytes, sha256: record.sha256, glibc: typeof record.glibc === 'string' ? record.glibc : null };
}

/**
 * The build-info.json beside the addon at `addonPath` (a .node file); null when there is none or
 * it is unreadable (a build from before build-info.json: its sources are unknown).
 */
export function buildInfo(addonPath: string): BuildInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dirname(addonPath), 'build-info.json'), 'utf8')) as Partial<BuildInfo>;
    if (info.schemaVersion !== 1 || typeof info.sourceHash !== 'string' || !/^[0-9a-f]{64}$/.test(info.sourceHash)) return null;
    const binary = binaryRecord(info.binary);
    return {
      schemaVersion: 1,
      sourceHash: info.sourceHash,
      ...(typeof info.harnessHash === 'string' && /^[0-9a-f]{64}$/.test(info.harnessHash) ? { harnessHash: info.harnessHash } : {}),
      builtAt: typeof info.builtAt === 'string' ? info.builtAt : '',
      cuda: info.cuda === true,
      architectures: typeof info.architectures === 'string' ? info.architectures : null,
      node: typeof info.node === 'string' ? info.node : '',
      ...(binary ? { binary } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * The harness hash of the addon at `addonPath` (build-info.json's; for a build from before it was
 * recorded, the hash of `checkout` when that checkout's sources are the ones it was built from),
 * or why it is unknown, in words.
 */
export function buildHarness(addonPath: string, checkout: string | null): { hash: string } | { unknown: string } {
  const info = buildInfo(addonPath);
  if (!info) return { unknown: `${addonPath} has no readable build-info.json beside it: the sources it was built from are unknown` };
  if (info.harnessHash) return { hash: info.harnessHash };
  if (checkout !== null && sourceHash(checkout) === info.sourceHash) return { hash: harnessHash(checkout) };
  return { unknown: `${addonPath} was built by an older Ratchet that recorded no harness hash, from sources other than its checkout's` };
}
