import { relative, resolve } from 'node:path';
import { openProblemSources, type ProblemSources } from '@ratchet/core';
import type { NativeAddon } from '@ratchet/native';
import type { Backend, Device } from '@ratchet/types';
import type { CommandContext } from '../context.js';
import { childDeviceEnvironment, type DeviceSelector } from './device-choice.js';

/**
 * The problem sources of one side of a run: `addon` with the config's plugins loaded, and the
 * config's processes, all found relative to `configRoot` (the config's directory here, or its
 * counterpart in a base checkout).
 */
export async function openSources(
  context: CommandContext,
  // index: the device in `native`'s numbering (a base build's may differ); selector: what --device asked.
  side: { backend: Backend; device: Device; native: NativeAddon; configRoot: string; index?: number; selector?: DeviceSelector | null },
  unavailable: 'refuse' | 'list' = 'refuse',
): Promise<ProblemSources> {
  const index = side.index ?? 0;
  const childEnv = childDeviceEnvironment(side.device, side.selector ?? null);
  const { config, root } = context.loaded;
  // Plugin paths were resolved against this checkout's config directory: rebase them onto the side's.
  for (const plugin of config.plugins) side.native.loadPlugin(resolve(side.configRoot, relative(root, plugin)));
  return openProblemSources({
    device: side.device,
    backend: side.backend,
    native: {
      problems: side.native.problems(),
      open: (benchmark, options) => side.native.open(side.backend, benchmark, { ...options, device: index }),
      variants: (benchmark) => side.native.variants(side.backend, benchmark, index),
    },
    processes: config.processes,
    root: side.configRoot,
    unavailable,
    ...(childEnv ? { env: childEnv } : {}),
  });
}
