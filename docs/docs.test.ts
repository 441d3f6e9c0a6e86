import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '@ratchet/core';
import { parquetColumns } from '@ratchet/history';
import { schemaReference } from '@ratchet/types';
import { allowedImports } from '../eslint.config.js';

// The README and docs/ against the code: a figure or a path the code does not have fails here.
const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(repository, 'README.md'), 'utf8');
const { thresholds } = defaultConfig;

describe('README.md', () => {
  it('names only documents that exist', () => {
    const named = [...new Set([...readme.matchAll(/\b(docs\/[\w./-]+\.md)\b/g)].map((m) => m[1]!))];
    expect(named).toEqual(expect.arrayContaining(['docs/design.md', 'docs/ci.md', 'docs/benchmarks.md']));
    for (const path of named) expect(existsSync(join(repository, path)), path).toBe(true);
  });

  it('gives the interleaved threshold the code uses, everywhere it gives one', () => {
    const interleaved = [
      ...readme.matchAll(/\+?(\d+(?:\.\d+)?)% (?:for )?interleaved/g),
      ...readme.matchAll(/interleaved in one process and judged at [^(]*\((\d+(?:\.\d+)?)%\)/g),
    ].map((m) => Number(m[1]));
    expect(interleaved.length).toBeGreaterThanOrEqual(3);
    expect(new Set(interleaved)).toEqual(new Set([thresholds.relativeRegressionPct]));
    expect(readme).toContain(`regression +${thresholds.regressionPct}% against the committed baseline`);
  });

  it('says what must be installed by hand for the native build', () => {
    expect(readme).toMatch(/cmake >= 3\.18, a C\+\+17 compiler and make/);
  });
});

describe('docs/design.md', () => {
  it('describes every package of the workspace', () => {
    const design = readFileSync(join(repository, 'docs/design.md'), 'utf8');
    for (const name of readdirSync(join(repository, 'packages'))) expect(design, name).toMatch(new RegExp(`^  ${name}/ `, 'm'));
    for (const dir of ['kernels/', 'native/']) expect(design).toMatch(new RegExp(`^${dir} `, 'm'));
  });

  // The floors are one picture: eslint's table (what a package's sources may import), each
  // package.json (what it installs, and what nx's project graph is drawn from), and the imports.
  const floors = allowedImports as Record<string, string[]>;
  const ours = (names: string[]) => names.filter((name) => name.startsWith('@ratchet/')).map((name) => name.slice('@ratchet/'.length));
  const packageDir = (name: string) => join(repository, name === 'native' ? 'native' : `packages/${name}`);
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));

  it.each(Object.keys(allowedImports))('%s depends on no package of ours its floor does not allow, and declares every one its sources import', (name) => {
    const manifest = JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    // A package with no TypeScript of its own (the Python peer) is data another package ships.
    const declared = ours(Object.keys(manifest.dependencies ?? {})).filter((dep) => dep in floors);
    expect(declared.filter((dep) => !floors[name]!.includes(dep))).toEqual([]);
    const dir = join(packageDir(name), name === 'native' ? 'lib' : 'src');
    const imported = new Set(sources(dir).flatMap((file) => ours([...readFileSync(file, 'utf8').matchAll(/from '(@ratchet\/[\w-]+)/g)].map((m) => m[1]!))));
    expect([...imported].filter((dep) => dep !== name && !declared.includes(dep))).toEqual([]);
  });

  it('says a CLI command is a folder that registers itself, and every folder is one listed in commands/index.ts', () => {
    const commands = join(repository, 'packages/cli/src/commands');
    const index = readFileSync(join(commands, 'index.ts'), 'utf8');
    for (const entry of readdirSync(commands, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      expect(readFileSync(join(commands, entry.name, 'index.ts'), 'utf8'), entry.name).toMatch(/^export function register\(program: Command, kit: CommandKit\): void \{$/m);
      expect(index, entry.name).toContain(`from './${entry.name}/index.js'`);
    }
  });
});

describe('docs/dashboard.md', () => {
  it("lists the Parquet export's columns as the exporter writes them, in order", () => {
    const dashboard = readFileSync(join(repository, 'docs/dashboard.md'), 'utf8');
    const listed = [...dashboard.matchAll(/^\| `(\w+)` \| (\w+)(, null)? \| (.+) \|$/gm)].map((m) => ({ name: m[1], type: m[2], nullable: m[3] !== undefined, doc: m[4] }));
    expect(listed).toEqual(parquetColumns.map(({ name, type, nullable, doc }) => ({ name, type, nullable, doc })));
  });
});

describe('docs/schemas.md', () => {
  it('is the reference generated from the schemas as they are now (else: node scripts/schemas.mjs)', () => {
    expect(readFileSync(join(repository, 'docs/schemas.md'), 'utf8')).toBe(schemaReference());
  });
});
