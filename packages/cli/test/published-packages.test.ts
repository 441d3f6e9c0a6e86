// What each workspace package publishes (`npm pack --dry-run`, after the build): the licence and
// metadata a company's review looks for, one version for the set, and in each tarball only what
// runs. install.e2e.test.ts installs the same set from a registry.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/**
 * Distributed otherwise than on npm: the GitHub Action runs its committed bundle from a git ref
 * (`uses: <owner>/ratchet@<ref>`, action.yml), so its package is private and packs nothing.
 */
const unpublished = ['packages/action'];
const packageDirs = [...readdirSync(join(repository, 'packages')).map((name) => `packages/${name}`).filter((dir) => !unpublished.includes(dir)), 'native'];
const manifest = (dir: string) => JSON.parse(readFileSync(join(repository, dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean; dependencies?: Record<string, string> };

/** The files `npm pack` would put in the package's tarball (scripts not run: native's prepack copy of kernels/ aside). */
function packed(dir: string): string[] {
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(repository, dir), encoding: 'utf8', timeout: 120_000 });
  expect(pack.status, pack.stderr).toBe(0);
  return (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path);
}

describe('the published packages', () => {
  it('carry the root LICENSE, repository, homepage, bugs and engines (scripts/package-metadata.mjs --check)', () => {
    const check = spawnSync(process.execPath, ['scripts/package-metadata.mjs', '--check'], { cwd: repository, encoding: 'utf8' });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });

  it('leave out only the GitHub Action, which is private (changesets publish no private package)', () => {
    expect(unpublished.map((dir) => manifest(dir).private)).toEqual([true]);
  });

  it('are all published, at one version, and depend on one another at exactly it', () => {
    const manifests = packageDirs.map(manifest);
    expect(manifests.filter((m) => m.private).map((m) => m.name)).toEqual([]);
    const versions = new Set(manifests.map((m) => m.version));
    expect(versions.size).toBe(1);
    const config = JSON.parse(readFileSync(join(repository, '.changeset/config.json'), 'utf8')) as { fixed: string[][] };
    expect(config.fixed).toEqual([['@ratchet/*']]);
    const ours = manifests.flatMap((m) => Object.entries(m.dependencies ?? {}).filter(([name]) => name.startsWith('@ratchet/')).map(([name, range]) => `${m.name} -> ${name}@${range}`));
    expect(ours.filter((line) => !line.endsWith('@workspace:*'))).toEqual([]);
  });

  it.each(packageDirs)('%s: its tarball holds what runs, its licence and changelog, and no source map, build info, test or TypeScript source', (dir) => {
    const files = packed(dir);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'package.json']));
    expect(files.filter((path) => /\.map$|\.tsbuildinfo$|\.test\.|(^|\/)test\/|^(src|lib)\/.*(?<!\.d)\.ts$/.test(path))).toEqual([]);
    const entry = (manifest(dir) as { exports?: { '.': { default: string } } }).exports?.['.'].default.replace(/^\.\//, '');
    if (entry) expect(files).toContain(entry);
  });

  it('@ratchet/native ships the sources a build needs, and no build of this machine', () => {
    const files = packed('native');
    expect(files).toEqual(expect.arrayContaining(['CMakeLists.txt', 'include/ratchet/problem.h', 'src/addon.cc', 'scripts/build.mjs', 'scripts/build-addon.mjs', 'scripts/build-plan.mjs']));
    expect(files.filter((path) => path.startsWith('build/') || path.startsWith('lib/'))).toEqual([]);
    expect(manifest('native')).not.toHaveProperty('scripts.install');
  });
});
