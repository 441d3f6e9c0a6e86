import { realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { buildInfo, nativeAddonPath, sourceHash } from '@ratchet/native';
import { RatchetError } from '@ratchet/types';
import { repoRoot } from '../git.js';
import type { CommandContext } from '../context.js';

/**
 * Why the addon at `addonPath`, which the checkout at `root` builds (its config's `build.addon`),
 * is not the build of that checkout, in one line; null when it is, or when it cannot tell (a build
 * from before build-info.json). build-info.json records the hash of the sources the addon was
 * built from (kernels/, native/src, native/include, the CMake files); the checkout's sources hash
 * to something else after an edit without a rebuild, or in a checkout of another commit.
 */
export function staleBuild(addonPath: string, root: string): string | null {
  const built = buildInfo(addonPath);
  if (!built) return null;
  const checkout = sourceHash(root);
  if (checkout === built.sourceHash) return null;
  const inside = relative(root, addonPath);
  const shown = inside.startsWith('..') ? addonPath : inside;
  return `${shown} was built ${built.builtAt} from other sources than this checkout's (source hash ${built.sourceHash.slice(0, 12)}, checkout ${checkout.slice(0, 12)}): rebuild it (pnpm build), or its figures are the old code's`;
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * The addon about to be timed, when this checkout builds it (the config's `build.addon`), against
 * the checkout's sources: a stale build is said in one line (`warn`), or refused (`refuse`: relative
 * mode, whose verdict is about the code of each side).
 */
export function checkOwnBuild(context: CommandContext, stale: 'warn' | 'refuse'): void {
  const declared = context.loaded.config.build?.addon;
  const loaded = nativeAddonPath();
  if (!declared || !loaded) return;
  let top: string;
  try {
    top = repoRoot(context.cwd);
  } catch {
    top = context.loaded.root;
  }
  if (!samePath(resolve(top, declared), loaded)) return;
  const why = staleBuild(loaded, top);
  if (!why) return;
  if (stale === 'refuse') throw new RatchetError('ERR_RATCHET_STALE_BUILD', `HEAD: ${why}`);
  if (!context.output.quiet) context.output.err(context.output.color.yellow(`warning: ${why}`));
}
