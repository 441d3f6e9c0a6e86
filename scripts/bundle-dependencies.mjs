#!/usr/bin/env node
// Writes a module of a published package as one file with its third-party imports inlined
// (esbuild, from the TypeScript source, over what tsc emitted for it), so installing the package
// installs none of them: no commands of theirs in a user's node_modules/.bin, no engines of theirs
// to honour, no tree of theirs to download. Imports of @ratchet packages and Node's builtins stay
// imports. The bundled packages' licenses go beside it (<module>.licenses.txt): their notices
// travel with their code.
//   node ../../scripts/bundle-dependencies.mjs src/index.ts dist/index.js   (from the package's directory)
// Used where a dependency weighs more than it gives: Octokit in @ratchet/ci (its content-type
// wants Node 22), Vega in @ratchet/charts (120 packages, 21 commands).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

/** The directory of the package a bundled file came from: the nearest package.json above it. */
function packageDirOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name) return dir;
  }
  return null;
}

/** Each bundled package once: name@version, its license, and its license file's text. */
function licenses(inputs, ownDir) {
  const dirs = new Set(Object.keys(inputs).map((input) => packageDirOf(resolve(input))).filter((dir) => dir && dir !== ownDir));
  return [...dirs].map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    return { id: `${manifest.name}@${manifest.version}`, license: manifest.license ?? 'see its file', text: file ? readFileSync(join(dir, file), 'utf8').trim() : '(no license file in the package)' };
  }).sort((a, b) => (a.id < b.id ? -1 : 1));
}

export async function bundleDependencies(sourcePath, modulePath) {
  const file = resolve(modulePath);
  const result = await build({
    entryPoints: [resolve(sourcePath)],
    outfile: file,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    external: ['@ratchet/*'],
    metafile: true,
    logLevel: 'warning',
    // CommonJS code inside an ES module bundle still calls require() for Node's builtins.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
  // tsc's source map is of the module before bundling: it would point at the wrong lines.
  rmSync(`${file}.map`, { force: true });
  const bundled = licenses(result.metafile.inputs, packageDirOf(resolve(sourcePath)));
  const text = bundled.map(({ id, license, text: body }) => `${id} (${license})\n\n${body}\n`).join(`\n${'-'.repeat(72)}\n\n`);
  writeFileSync(join(dirname(file), `${basename(file, '.js')}.licenses.txt`), `Third-party code bundled into ${basename(file)}:\n\n${text}`);
  return bundled.map(({ id }) => id);
}

if (process.argv[3]) {
  const ids = await bundleDependencies(process.argv[2], process.argv[3]);
  if (ids.length === 0) {
    console.error(`bundle-dependencies: ${process.argv[2]} imports no third-party package: nothing to bundle`);
    process.exit(1);
  }
}
