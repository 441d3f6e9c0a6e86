// The base side of a comparison (run --base, and a cross-run change confirmed against its
// baseline's commit): that commit built beside this checkout, with its own problem sources.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MeasureBackend, ProblemSources } from '@ratchet/core';
import { loadNativeFrom, nativeAddonPath } from '@ratchet/native';
import { RatchetError, isRatchetError } from '@ratchet/types';
import type { CommandContext } from '../context.js';
import { resolveCommit } from '../git.js';
import { interruptible } from '../signals.js';
import { buildBase, type BaseCheckout } from './base-build.js';
import { readBaseGate } from './base-gate.js';
import { chooseDevice } from './device-choice.js';
import type { MeasurementPlan } from './plan.js';
import { openSources } from './sources.js';
import { staleBuild } from './stale-build.js';

/**
 * The code of commit `sha` built beside the checkout (relative mode's worktree build), with its
 * own problem sources, on the same backend and device; null, with a line saying why, when it
 * cannot be had (no git, unknown commit, failed build, another device). Its sources stay open
 * until `close` is called.
 */
export function baseBackendAt(context: CommandContext, plan: MeasurementPlan): { baseAt: (sha: string) => Promise<MeasureBackend | null>; close: () => Promise<void> } {
  const opened: ProblemSources[] = [];
  const baseAt = async (sha: string): Promise<MeasureBackend | null> => {
    try {
      // That commit's own build, plugins and processes (its ratchet.config.json), as relative mode's base.
      const own = readBaseGate(context, { sha: resolveCommit(context.cwd, sha) });
      const baseContext = own ? { ...context, loaded: own.loaded } : context;
      const base = await buildBase(context.cwd, context.loaded.root, sha, baseContext.loaded.config.build, (line) => context.output.err(line));
      const side = await openBaseSide(baseContext, plan, base);
      opened.push(side);
      return interruptible(side.backend);
    } catch (error) {
      if (isRatchetError(error) && error.code === 'ERR_RATCHET_INTERRUPTED') throw error;
      if (!context.output.quiet) context.output.err(`base ${sha.slice(0, 12)}: ${(error as Error).message}`);
      return null;
    }
  };
  return { baseAt, close: async () => void (await Promise.all(opened.map((side) => side.close()))) };
}

/**
 * The installed addon, copied into the base checkout: loaded from another path it is another
 * instance, with a registry of its own for the base's plugins (same names as the head's).
 */
function addonCopyIn(root: string): string {
  const installed = nativeAddonPath();
  if (!installed) throw new RatchetError('ERR_RATCHET_NATIVE_LOAD', 'the native addon is not built');
  const directory = join(root, '.ratchet-cache', 'addon');
  mkdirSync(directory, { recursive: true });
  for (const file of readdirSync(dirname(installed))) {
    if (file.endsWith('.node') || file.endsWith('.json')) copyFileSync(join(dirname(installed), file), join(directory, file));
  }
  return join(directory, basename(installed));
}

/** The base side's problem sources: its own addon when its build made one, its plugins and processes. */
export async function openBaseSide(context: CommandContext, plan: MeasurementPlan, base: BaseCheckout): Promise<ProblemSources> {
  const { backend, device } = plan.selected;
  const needsOwnRegistry = context.loaded.config.plugins.length > 0;
  const stale = base.addonPath ? staleBuild(base.addonPath, base.root) : null;
  if (stale) throw new RatchetError('ERR_RATCHET_STALE_BUILD', `the base (${base.sha.slice(0, 12)}): ${stale}`);
  const native = base.addonPath ? loadNativeFrom(base.addonPath) : needsOwnRegistry ? loadNativeFrom(addonCopyIn(base.root)) : plan.selected.native;
  // The head's GPU in the base build's numbering: by UUID where both builds report one.
  const baseDevices = native.devices(backend);
  const sameGpu = device.uuid ? baseDevices.find((d) => d.uuid === device.uuid) : undefined;
  const baseDevice = sameGpu ?? chooseDevice(baseDevices, { index: device.index ?? 0 }, backend);
  if (!baseDevice || baseDevice.deviceKey !== device.deviceKey) {
    throw new RatchetError('ERR_RATCHET_NO_DEVICE', `the base (${base.sha.slice(0, 12)}) sees ${baseDevice?.deviceKey ?? 'no device'} on the ${backend} backend, not ${device.deviceKey}`);
  }
  return openSources(context, { backend, device, native, configRoot: base.configRoot, index: baseDevice.index ?? 0, selector: plan.selected.selector });
}
