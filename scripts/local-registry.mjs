// A real npm registry on 127.0.0.1 for the duration of a test or a benchmark: Verdaccio 6.8.0 (it
// runs on Node 20; 6.10 wants 22) with its storage in a directory of the caller's, serving
// @ratchet/* only from what is published to it and proxying every other package to the public
// registry. `pnpm release` publishes the workspace to it as to any registry. Used by
// packages/cli/test/install.e2e.test.ts and scripts/bench-install.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const verdaccioBin = join(repoRoot, 'node_modules/verdaccio/bin/verdaccio');

/** A port no one listens on right now (the kernel's choice). */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

function config(dir, uplink) {
  // @ratchet/* is never proxied: the public registry's packages of that name are not ours.
  return `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
uplinks:
  npmjs:
    url: ${uplink}
    timeout: 60s
packages:
  '@ratchet/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
middlewares:
  audit:
    enabled: false
log:
  type: stdout
  format: pretty
  level: warn
`;
}

async function waitForPing(url, child, logOf) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}): ${logOf()}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`verdaccio did not answer ${url}-/ping within 60 s: ${logOf()}`);
}

/** A user on the registry (npm adduser's request), and the token it gets. */
async function addUser(url) {
  const name = 'ratchet-release';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'local-registry-only', type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const answer = await response.json();
  if (!response.ok || !answer.token) throw new Error(`verdaccio refused a new user: ${response.status} ${JSON.stringify(answer)}`);
  return answer.token;
}

/**
 * Starts the registry with its files under `dir`. Returns its URL, an .npmrc that publishes to it
 * (`publisherNpmrc`, with the token) and `stop()`, which ends the server and waits for it.
 * `uplink`: where other packages come from (the public registry by default).
 */
export async function startRegistry(dir, { uplink = 'https://registry.npmjs.org/' } = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), config(dir, uplink));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(process.execPath, [verdaccioBin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise((resolveExit) => child.on('exit', resolveExit));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForPing(url, child, () => log);
    const token = await addUser(url);
    const publisherNpmrc = join(dir, 'publisher.npmrc');
    writeFileSync(publisherNpmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, publisherNpmrc, stop, log: () => log };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * `pnpm release --reuse-build --no-git-tag` against the registry: every package published as the
 * workspace is built (`pnpm build` first), with its own addon build as @ratchet/native's prebuilt
 * binary. Returns its output; throws with it when the release fails.
 */
export function publishWorkspace(registry) {
  const env = { ...process.env, npm_config_registry: registry.url, npm_config_userconfig: registry.publisherNpmrc, NX_TUI: 'false' };
  const release = spawnSync(process.execPath, [join(repoRoot, 'scripts/release.mjs'), '--reuse-build', '--no-git-tag'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 15 * 60_000 });
  const output = `${release.stdout}${release.stderr}`;
  if (release.status !== 0) throw new Error(`pnpm release failed (${release.status ?? release.signal}):\n${output}`);
  return output;
}
