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
}

/**
 * The build-info.json beside the addon at `addonPath` (a .node file); null when there is none or
 * it is unreadable (a build from before build-info.json: its sources are unknown).
 */
export function buildInfo(addonPath: string): BuildInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dirname(addonPath), 'build-info.json'), 'utf8')) as Partial<BuildInfo>;
    if (info.schemaVersion !== 1 || typeof info.sourceHash !== 'string' || !/^[0-9a-f]{64}$/.test(info.sourceHash)) return null;
    return {
      schemaVersion: 1,
      sourceHash: info.sourceHash,
      builtAt: typeof info.builtAt === 'string' ? info.builtAt : '',
      cuda: info.cuda === true,
      architectures: typeof info.architectures === 'string' ? info.architectures : null,
      node: typeof info.node === 'string' ? info.node : '',
    };
  } catch {
    return null;
  }
}
