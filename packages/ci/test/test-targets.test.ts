import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace.js';

/** Every `*.test.ts` under a package's src/ and test/, as paths from the workspace root. */
function testFilesOnDisk(packageDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) found.push(relative(workspaceRoot, path));
    }
  };
  if (packageDir.endsWith('/docs')) return readdirSync(packageDir).filter((f) => f.endsWith('.test.ts')).map((f) => relative(workspaceRoot, join(packageDir, f)));
  for (const sub of ['src', 'test']) if (existsSync(join(packageDir, sub))) walk(join(packageDir, sub));
  return found.sort();
}

const vitestPackages = ['packages/types', 'packages/charts', 'packages/stats', 'packages/baseline', 'packages/report', 'packages/core', 'packages/ci', 'packages/cli', 'native', 'docs'];

/** The test command of a project: its package.json script, or docs' nx target (docs/project.json). */
function testCommand(packageDir: string): string {
  const manifest = join(packageDir, 'package.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).scripts.test;
  return JSON.parse(readFileSync(join(packageDir, 'project.json'), 'utf8')).targets.test.command;
}

describe("each package's test script (what `nx affected -t test` and `pnpm test` run)", () => {
  it.each(vitestPackages)('%s: finds exactly the test files of its package', (dir) => {
    const packageDir = join(workspaceRoot, dir);
    const [tool, mode, ...args] = testCommand(packageDir).split(' ');
    expect([tool, mode]).toEqual(['vitest', 'run']);
    // The same command with `list` for `run`: resolves the projects exactly as the script does.
    const listed = spawnSync(join(workspaceRoot, 'node_modules/.bin/vitest'), ['list', '--filesOnly', ...args], { cwd: packageDir, encoding: 'utf8', timeout: 120_000 });
    expect(listed.status, listed.stderr).toBe(0);
    const files = listed.stdout.split('\n').filter(Boolean).map((line) => line.replace(/^\[[^\]]+\] /, '')).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(files).toEqual(testFilesOnDisk(packageDir));
  });
});
