// Which sources a build of the addon was made from (native/scripts/build.mjs writes
// build-info.json beside the .node file), and the same hash for a checkout, so a run can say that
// the addon it loads is stale (a run warns; `run --base` refuses).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export { sourceFileList, sourceHash } from '../scripts/source-hash.mjs';

export interface BuildInfo {
  schemaVersion: 1;
  /** sourceHash() of the checkout the build was made from. */
  sourceHash: string;
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
