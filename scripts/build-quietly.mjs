#!/usr/bin/env node
// The build step of `pnpm bench` (and `pnpm bench:tooling`): `nx run-many -t build` with nx's
// task-by-task output (about 60 lines) held back and printed only when the build fails. What
// does get printed: one line before (a first build compiles the addon and can take a while), the
// native build's own line (which backends it compiled, and why), and one line after.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
process.stderr.write('ratchet: building (nx run-many -t build) ...\n');
const child = spawn(join(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '--outputStyle=static'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, NX_TUI: 'false' },
});
let output = '';
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));
child.on('error', (error) => {
  process.stderr.write(`ratchet: could not start nx (${error.message}); run \`npx -y pnpm@10.34.9 install\` first\n`);
  process.exit(1);
});
child.on('close', (code) => {
  if (code !== 0) {
    process.stderr.write(output);
    process.stderr.write(`ratchet: the build failed (nx exit ${code}); its output is above\n`);
    process.exit(code ?? 1);
  }
  for (const line of output.split('\n').filter((l) => l.startsWith('native: '))) process.stderr.write(`${line}\n`);
  process.stderr.write(`ratchet: built in ${((Date.now() - started) / 1e3).toFixed(0)} s\n`);
});
