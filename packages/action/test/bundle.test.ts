// The committed bundle is what its sources build to: a change to the action, the CLI or anything
// they import that was not bundled again fails here (pnpm --filter @ratchet/action bundle).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundlePath, bundleText } from '../scripts/bundle.mjs';

describe('packages/action/bundle/index.mjs', () => {
  it('is byte for byte what a fresh build of the sources makes (run pnpm --filter @ratchet/action bundle and commit it when this fails)', async () => {
    const fresh = await bundleText();
    const committed = readFileSync(bundlePath, 'utf8');
    // A mismatch would print two 1.9 MB strings: compare lengths and the first difference instead.
    const firstDifference = [...fresh].findIndex((c, i) => c !== committed[i]);
    expect({ length: committed.length, firstDifference: committed === fresh ? -1 : firstDifference }).toEqual({ length: fresh.length, firstDifference: -1 });
  });

  it('is what action.yml runs, with node20, and has no import of a workspace package left to resolve', () => {
    const action = readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8');
    expect(action).toMatch(/\nruns:\n  using: node20\n  main: packages\/action\/bundle\/index\.mjs\n/);
    const text = readFileSync(bundlePath, 'utf8');
    expect(text.match(/from\s*"@ratchet\/[^"]+"/g)).toBeNull();
  });
});
