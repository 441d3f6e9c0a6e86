import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceHash } from '@ratchet/native';
import { staleBuild } from './stale-build.js';

/** A checkout with one kernel source and an addon built from `builtFrom` (its build-info.json). */
function checkout(builtFrom: string | null): { root: string; addon: string } {
  const root = mkdtempSync(join(tmpdir(), 'ratchet-stale-'));
  mkdirSync(join(root, 'kernels'));
  writeFileSync(join(root, 'kernels/k.cu'), '__global__ void k() {}\n');
  const release = join(root, 'native/build/Release');
  mkdirSync(release, { recursive: true });
  const addon = join(release, 'ratchet_native.node');
  writeFileSync(addon, '');
  if (builtFrom !== null) writeFileSync(join(release, 'build-info.json'), JSON.stringify({ schemaVersion: 1, sourceHash: builtFrom, builtAt: '2026-12-01T00:00:00.000Z', cuda: false, architectures: null, node: 'v20' }));
  return { root, addon };
}

describe('staleBuild: is the addon the build of this checkout?', () => {
  it('says nothing when the addon was built from the checkout as it is', () => {
    const fresh = checkout('0'.repeat(64));
    const { root, addon } = checkout(sourceHash(fresh.root));
    expect(staleBuild(addon, root)).toBeNull();
  });

  it('names the addon, when it was built, and both hashes once a source changed after the build', () => {
    const { root, addon } = checkout(null);
    const built = sourceHash(root);
    writeFileSync(join(root, 'native/build/Release/build-info.json'), JSON.stringify({ schemaVersion: 1, sourceHash: built, builtAt: '2026-12-01T00:00:00.000Z', cuda: false, architectures: null, node: 'v20' }));
    writeFileSync(join(root, 'kernels/k.cu'), '__global__ void k() { /* edited, not rebuilt */ }\n');
    expect(staleBuild(addon, root)).toBe(
      `native/build/Release/ratchet_native.node was built 2026-12-01T00:00:00.000Z from other sources than this checkout's (source hash ${built.slice(0, 12)}, checkout ${sourceHash(root).slice(0, 12)}): rebuild it (pnpm build), or its figures are the old code's`,
    );
  });

  it('cannot tell, and says nothing, for a build from before build-info.json', () => {
    const { root, addon } = checkout(null);
    expect(staleBuild(addon, root)).toBeNull();
  });
});
