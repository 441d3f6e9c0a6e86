// Bundles the action (src/main.ts with the CLI, @ratchet/ci and what they import, from their
// TypeScript sources) into one ES module, bundle/index.mjs, committed so that `uses:
// <owner>/ratchet@<ref>` needs no install step. The same build is deterministic: the test
// (test/bundle.test.ts) builds it again in memory and fails when the committed file differs.
//
//   pnpm --filter @ratchet/action bundle        (after changing anything the action imports)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
export const bundlePath = join(here, '../bundle/index.mjs');

/**
 * @ratchet/dashboard draws with Vega (megabytes) and has no part in what the action runs; its
 * commands stay out of the bundle, each export a function saying so if ever called.
 */
function leftOut(pkg, index) {
  const names = [...readFileSync(join(root, index), 'utf8').matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')));
  const body = names.map((name) => `export function ${name}() { throw new Error('${pkg} is not part of the Ratchet GitHub Action: run the ratchet CLI for it'); }`).join('\n');
  return {
    name: `leave-out-${pkg}`,
    setup(builder) {
      builder.onResolve({ filter: new RegExp(`^${pkg.replace('/', '\\/')}$`) }, () => ({ path: pkg, namespace: 'left-out' }));
      builder.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: body, loader: 'js' }));
    },
  };
}

/** The CLI reads its version from its package.json beside its build; in the bundle it is written in. */
const cliVersion = {
  name: 'cli-version',
  setup(builder) {
    const main = join(root, 'packages/cli/src/program.ts');
    const version = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version;
    builder.onLoad({ filter: /packages\/cli\/src\/program\.ts$/ }, () => {
      const source = readFileSync(main, 'utf8');
      const read = "createRequire(import.meta.url)('../package.json').version";
      if (!source.includes(read)) throw new Error(`${main}: the version is no longer read as ${read}: update scripts/bundle.mjs`);
      return { contents: source.replace(read, JSON.stringify(version)), loader: 'ts' };
    });
  },
};

/** The bundle's text, built the one way it is built. */
export async function bundleText() {
  const result = await build({
    entryPoints: [join(here, '../src/main.ts')],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    conditions: ['source'],
    outfile: bundlePath,
    write: false,
    // Dependencies written as CommonJS (commander) call require for Node's own modules.
    banner: { js: "import { createRequire as __ratchetCreateRequire } from 'node:module';\nconst require = __ratchetCreateRequire(import.meta.url);" },
    legalComments: 'eof',
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'utf8',
    logLevel: 'silent',
    plugins: [leftOut('@ratchet/dashboard', 'packages/dashboard/src/index.ts'), cliVersion],
  });
  return result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundleText();
  writeFileSync(bundlePath, text);
  console.log(`bundle: ${bundlePath.slice(root.length + 1)} (${(text.length / 1e6).toFixed(2)} MB)`);
}
