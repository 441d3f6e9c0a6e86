// The plugins native tests load (native/scripts/test-plugins.mjs): built fresh into a temporary
// directory when the compiler is on this machine, else taken prebuilt from
// native/build/test-plugins (a GPU host without compilers gets them from pack-device-bundle.sh).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildTestPlugin, hasCompiler, pluginFile, prebuiltDir, repoRoot, testPlugins } from '../scripts/test-plugins.mjs';

let freshDir: string | undefined;
const built = new Map<string, string>();

/** Why plugin `name` cannot be had here; null when it can. */
export function pluginUnavailable(name: string): string | null {
  const plugin = testPlugins[name]!;
  if (hasCompiler(plugin.compiler) || existsSync(join(prebuiltDir, pluginFile(name)))) return null;
  return `no ${plugin.compiler} here and no prebuilt ${pluginFile(name)} in native/build/test-plugins`;
}

/** The path of plugin `name`, built on first use (into `dir` when given, a shared temp dir otherwise). */
export function pluginPath(name: string, dir?: string): string {
  if (dir) return buildTestPlugin(name, dir);
  const known = built.get(name);
  if (known) return known;
  const plugin = testPlugins[name]!;
  let path: string;
  if (hasCompiler(plugin.compiler)) {
    freshDir ??= mkdtempSync(join(tmpdir(), 'ratchet-plugins-'));
    path = buildTestPlugin(name, freshDir);
  } else {
    path = join(prebuiltDir, pluginFile(name));
  }
  built.set(name, path);
  return path;
}

/** The names of the wrong-in-one-way fixtures. */
export const badPluginNames = Object.keys(testPlugins).filter((name) => name.startsWith('bad-'));

/**
 * Plugin `name` built from a copy of its source in a fresh directory, as another checkout would
 * build it (other paths everywhere); needs its compiler.
 */
export function pluginBuiltElsewhere(name: string): string {
  const plugin = testPlugins[name]!;
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-elsewhere-'));
  const source = join(dir, basename(plugin.source));
  copyFileSync(join(repoRoot, plugin.source), source);
  const output = join(dir, pluginFile(name));
  execFileSync(plugin.compiler, [...plugin.flags, source, '-o', output], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return output;
}
