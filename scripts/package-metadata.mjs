#!/usr/bin/env node
// What every published package says about itself, kept in one place: the root package.json's
// license, repository, homepage, bugs and engines are written into each workspace package that is
// not private (with its own `directory` and page), and the root LICENSE is copied beside it (npm
// ships a package's own LICENSE file only).
//   node scripts/package-metadata.mjs           # write them
//   node scripts/package-metadata.mjs --check   # exit 1 naming each package that differs (a test runs this)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspacePackages } from './workspace-packages.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The fields a published package takes from the root, for the package in `dir`. */
export function sharedFields(rootManifest, dir) {
  const directory = relative(root, dir).split('\\').join('/');
  const web = rootManifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  return {
    license: rootManifest.license,
    repository: { type: 'git', url: rootManifest.repository.url, directory },
    homepage: `${web}/tree/main/${directory}#readme`,
    bugs: rootManifest.bugs,
    engines: rootManifest.engines,
  };
}

/** Each published package's differences from what it should say; fixes them when `write`. */
export function syncMetadata({ write }) {
  const rootManifest = readJson(join(root, 'package.json'));
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  const problems = [];
  for (const dir of workspacePackages(root)) {
    const file = join(dir, 'package.json');
    const manifest = readJson(file);
    if (manifest.private) continue;
    const wanted = sharedFields(rootManifest, dir);
    const stale = Object.keys(wanted).filter((key) => JSON.stringify(manifest[key]) !== JSON.stringify(wanted[key]));
    const licenseFile = join(dir, 'LICENSE');
    const licenseStale = !existsSync(licenseFile) || readFileSync(licenseFile, 'utf8') !== license;
    if (stale.length > 0) problems.push(`${relative(root, file)}: ${stale.join(', ')} differ from the root package.json's`);
    if (licenseStale) problems.push(`${relative(root, licenseFile)}: missing or not the root LICENSE`);
    if (!write) continue;
    if (stale.length > 0) writeFileSync(file, `${JSON.stringify({ ...manifest, ...wanted }, null, 2)}\n`);
    if (licenseStale) writeFileSync(licenseFile, license);
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const problems = syncMetadata({ write: !check });
  for (const line of problems) console.log(`${check ? '' : 'updated: '}${line}`);
  if (check && problems.length > 0) {
    console.log('run `node scripts/package-metadata.mjs` to write them');
    process.exit(1);
  }
}
