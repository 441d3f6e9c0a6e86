// What @ratchet/ci is published with (dist/_github.js, after its build): Octokit inlined, so an
// install resolves none of its dependency tree (content-type 3 there wants Node 22).
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeChild, startGitHubServer } from './github-server.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
let server: Awaited<ReturnType<typeof startGitHubServer>> | undefined;
afterEach(async () => server?.close());

/** Runs `script` (an ES module) with node in `cwd`; its exit status and output. */
const node = (script: string, cwd: string) => nodeChild(['--input-type=module', '-e', script], { cwd });

describe('the published GitHub client', () => {
  it('posts a comment from a directory with no node_modules anywhere above it', async () => {
    server = await startGitHubServer();
    const alone = mkdtempSync(join(tmpdir(), 'ratchet-ci-'));
    cpSync(join(dist, '_github.js'), join(alone, '_github.js'));
    const script = `
      const { Octokit, retry } = await import(${JSON.stringify(pathToFileURL(join(alone, '_github.js')).href)});
      const client = new (Octokit.plugin(retry))({ auth: 't0ken', baseUrl: ${JSON.stringify(server.baseUrl)} });
      const { data } = await client.rest.issues.createComment({ owner: 'octo', repo: 'ratchet', issue_number: 7, body: 'from the bundle' });
      process.stdout.write(JSON.stringify(data.id));`;
    // Asynchronous: the server answering it runs in this process.
    const child = await node(script, alone);
    expect(child.status, child.stderr).toBe(0);
    expect(server.comments.map((comment) => comment.body)).toEqual(['from the bundle']);
    expect(Number(child.stdout)).toBe(server.comments[0]!.id);
  });

  it('names every package it carries beside it, with its license', () => {
    const notice = readFileSync(join(dist, '_github.licenses.txt'), 'utf8');
    expect(notice).toMatch(/^@octokit\/rest@22\.0\.1 \(MIT\)$/m);
    expect(notice).toMatch(/^content-type@3\.1\.1 \(MIT\)$/m);
  });
});
