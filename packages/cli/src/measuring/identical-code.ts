import type { IdenticalCodeOptions } from '@ratchet/core';
import { buildHarness, identityFileProblem, nativeAddonPath } from '@ratchet/native';
import type { Device } from '@ratchet/types';
import { repoRoot } from '../git.js';
import type { BaseCheckout } from './base-build.js';

/**
 * Whether `run --base` may skip a benchmark whose two sides run identical code (core's
 * identical-code.ts compares each benchmark's identities): not with `--measure-identical`, and not
 * where the two builds cannot vouch for their identities: both sides must be timed by the same
 * harness (build-info.json's harness hash: the native sources less the kernels'), and each build's
 * kernel-identity.json must be there, readable, and of this device's architecture. Where the base
 * is opened with this checkout's addon (no build of its own) both hold by construction.
 * Any doubt measures everything, with the reason in one line.
 */
export function identicalCodeRule(options: { measureIdentical?: boolean }, device: Device, base: BaseCheckout, cwd: string): IdenticalCodeOptions {
  if (options.measureIdentical) return { measureAllBecause: '--measure-identical: every benchmark measured, identical code or not' };
  const baseAddon = base.addonPath;
  const headAddon = nativeAddonPath();
  if (baseAddon === null || headAddon === null) return {};
  const sides = [
    { label: 'HEAD', addon: headAddon, checkout: checkoutOf(cwd) },
    { label: base.sha === 'unknown' ? 'the base build' : `the base (${base.sha.slice(0, 12)})`, addon: baseAddon, checkout: base.root },
  ];
  for (const side of sides) {
    const problem = identityFileProblem(side.addon, device);
    if (problem) return { measureAllBecause: `every benchmark measured: the kernel identities of ${side.label} are unknown here: ${problem}` };
  }
  const harnesses = sides.map((side) => buildHarness(side.addon, side.checkout));
  for (const [index, harness] of harnesses.entries()) {
    if ('unknown' in harness) return { measureAllBecause: `every benchmark measured: the harness of ${sides[index]!.label} is unknown: ${harness.unknown}` };
  }
  const [here, there] = harnesses as [{ hash: string }, { hash: string }];
  if (here.hash !== there.hash) {
    return {
      measureAllBecause: `every benchmark measured: the harness differs between the two builds (native/src, native/include or the CMake files: harness hash ${here.hash.slice(0, 12)} here, ${there.hash.slice(0, 12)} in the base)`,
    };
  }
  return {};
}

function checkoutOf(cwd: string): string | null {
  try {
    return repoRoot(cwd);
  } catch {
    return null;
  }
}
