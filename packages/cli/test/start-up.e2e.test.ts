// What the built CLI loads before a command runs. `ratchet --version` once loaded 361 ES modules
// (200 of them TypeBox's, through @ratchet/types' schemas, and all of core) and took 264 ms of
// its 300 ms start-up budget (docs/benchmarks.md, "Installing Ratchet"): help, the version and a
// usage error need commander, the CLI's registrations and two leaf modules of @ratchet/types. A
// module-load hook (node:module register) lists every file the process loads; no timing here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBin, scratchProject } from './cli-harness.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const hooks = mkdtempSync(join(tmpdir(), 'ratchet-load-hook-'));
writeFileSync(join(hooks, 'hooks.mjs'), "export async function load(url, context, next) {\n  if (url.startsWith('file:')) process.stderr.write(`loaded ${url}\\n`);\n  return next(url, context);\n}\n");
writeFileSync(join(hooks, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(hooks, 'hooks.mjs')).href)});\n`);

/** Each file the CLI loaded, as `<package>: <path in it>` (a workspace package by its folder, a dependency by its name). */
function loadedFiles(cwd: string, args: string[]): { status: number | null; files: string[] } {
  const child = spawnSync(process.execPath, ['--import', join(hooks, 'register.mjs'), cliBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  const files = [...child.stderr.matchAll(/^loaded (file:\S+)$/gm)].map(([, url]) => {
    const path = relative(root, fileURLToPath(url!));
    // The last node_modules/ of a path (pnpm's store holds each package under .pnpm/<name>@<version>/node_modules/).
    const [, name, rest] = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path) ?? /^(?:packages\/)?([^/]+)\/(.*)$/.exec(path) ?? [, '?', path];
    return `${name}: ${rest}`;
  });
  return { status: child.status, files };
}

const packagesOf = (files: string[]) => [...new Set(files.map((file) => file.slice(0, file.indexOf(':'))))].sort();

describe('what the CLI loads before a command runs', () => {
  const dir = scratchProject();
  afterAll(() => {
    for (const scratch of [dir, hooks]) rmSync(scratch, { recursive: true, force: true });
  });

  it.each(['--version', '--help', 'run --help', 'history', '--json run --bogus', 'compare extra'])(
    '`ratchet %s`: commander, the CLI and two leaf modules of @ratchet/types (its errors, the import formats); no schema, core or chalk',
    (line) => {
      const { status, files } = loadedFiles(dir, line.split(' '));
      expect([0, 2]).toContain(status);
      expect(packagesOf(files)).toEqual(['cli', 'commander', 'types']);
      expect(files.filter((file) => file.startsWith('types: '))).toEqual(['types: dist/errors.js', 'types: dist/import-formats.js']);
      // The commands' registrations, never their work (commands/<name>/<name>.ts).
      expect(files.filter((file) => /^cli: dist\/commands\/[^/]+\/(?!index\.js$)/.test(file))).toEqual([]);
    },
  );

  it('a command that runs loads its work when it runs: `ratchet problems` loads core, the schemas and its own module', () => {
    const { status, files } = loadedFiles(dir, ['problems', '--backend', 'cpu']);
    expect(status).toBe(0);
    expect(packagesOf(files)).toEqual(expect.arrayContaining(['@sinclair/typebox', 'chalk', 'cli', 'commander', 'core', 'files', 'types']));
    expect(files).toContain('cli: dist/commands/problems/problems.js');
    expect(files).not.toContain('cli: dist/commands/run/run.js');
  });
});
