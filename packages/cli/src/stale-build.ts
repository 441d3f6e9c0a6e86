import { relative } from 'node:path';
import { buildInfo, sourceHash } from '@ratchet/native';

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
