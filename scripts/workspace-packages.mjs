// The workspace's package directories, from pnpm-workspace.yaml's `packages` globs (`dir/*` or a
// plain directory: the only forms this repository uses).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute directories holding a package.json, in the order the globs name them. */
export function workspacePackages(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\n((?:\s+-\s.*\n?)+)/m.exec(yaml)?.[1] ?? '';
  const globs = [...block.matchAll(/-\s+['"]?([^'"\n]+?)['"]?\s*$/gm)].map((m) => m[1]);
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)];
    const parent = join(root, glob.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(parent, e.name)).sort();
  });
  return dirs.filter((dir) => existsSync(join(dir, 'package.json')));
}
