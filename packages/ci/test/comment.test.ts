import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '@ratchet/types';
import { defaultMarker, postingLogin, runCi, truncateComment, upsertStickyComment } from '../src/index.js';
import { startGitHubServer } from './github-server.js';
import { localGitHubPerTest } from './local-github.js';

const pr = { owner: 'octo', repo: 'ratchet', issueNumber: 7 };
const github = localGitHubPerTest({ perPage: 2 }, { retries: 2, backoffMs: 5 });
const { client } = github;

describe('upsertStickyComment against a local GitHub', () => {
  it('creates the comment on the first run and updates the same one on the second', async () => {
    const first = await upsertStickyComment(client(), pr, 'report v1');
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(client(), pr, 'report v2');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(github.server.comments).toHaveLength(1);
    expect(github.server.comments[0]!.body).toBe(`${defaultMarker}\nreport v2`);
  });

  it('follows pagination to find the marker on page 2 of 3', async () => {
    for (const text of ['a', 'b', 'c']) github.server.addComment(text);
    github.server.addComment(`${defaultMarker}\nold report`);
    github.server.addComment('e');
    const result = await upsertStickyComment(client(), pr, 'new report');
    expect(result.action).toBe('updated');
    expect(github.server.requests.filter((r) => r.method === 'GET' && r.path.includes('/comments')).map((r) => r.path)).toEqual([
      '/repos/octo/ratchet/issues/7/comments?per_page=100',
      '/repos/octo/ratchet/issues/7/comments?per_page=2&page=2',
    ]);
    expect(github.server.comments[3]!.body).toBe(`${defaultMarker}\nnew report`);
  });

  it("leaves an attacker's comment carrying the marker alone and posts a comment of its own", async () => {
    github.server.addComment(`${defaultMarker}\nforged: no regressions`, 'mallory');
    const result = await upsertStickyComment(client(), pr, 'report');
    expect(result.action).toBe('created');
    expect(github.server.comments.map((c) => [c.user.login, c.body])).toEqual([
      ['mallory', `${defaultMarker}\nforged: no regressions`],
      ['github-actions[bot]', `${defaultMarker}\nreport`],
    ]);
    expect(github.server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it("edits its own comment, found past an attacker's earlier one, and only that one", async () => {
    github.server.addComment(`${defaultMarker}\nforged`, 'mallory');
    github.server.addComment(`${defaultMarker}\nold report`, 'github-actions[bot]');
    const result = await upsertStickyComment(client(), pr, 'new report');
    expect(result).toMatchObject({ action: 'updated', id: github.server.comments[1]!.id });
    expect(github.server.comments.map((c) => c.body)).toEqual([`${defaultMarker}\nforged`, `${defaultMarker}\nnew report`]);
  });

  it("with a personal token, matches the token's user (GET /user), not the Actions bot", async () => {
    await github.server.close();
    github.server = await startGitHubServer({ perPage: 2, identity: { kind: 'user', login: 'ratchet-bot' } });
    github.server.addComment(`${defaultMarker}\nanother workflow's`, 'github-actions[bot]');
    github.server.addComment(`${defaultMarker}\nours`, 'ratchet-bot');
    await upsertStickyComment(client(), pr, 'new');
    expect(github.server.comments.map((c) => c.body)).toEqual([`${defaultMarker}\nanother workflow's`, `${defaultMarker}\nnew`]);
    expect(github.server.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).not.toContain('POST /graphql');
  });

  it("with an installation token (refused on GET /user), asks the GraphQL viewer for the app's bot", async () => {
    await github.server.close();
    github.server = await startGitHubServer({ perPage: 2, identity: { kind: 'installation', login: 'ratchet-app[bot]' } });
    github.server.addComment(`${defaultMarker}\nthe Actions bot's`, 'github-actions[bot]');
    github.server.addComment(`${defaultMarker}\nthe app's`, 'ratchet-app[bot]');
    await upsertStickyComment(client(), pr, 'new');
    expect(github.server.comments.map((c) => c.body)).toEqual([`${defaultMarker}\nthe Actions bot's`, `${defaultMarker}\nnew`]);
    expect(github.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /user', 'POST /graphql']));
  });

  it('takes the GITHUB_TOKEN account (github-actions[bot]) where neither GET /user nor the viewer answers', async () => {
    await github.server.close();
    github.server = await startGitHubServer({ perPage: 2, identity: { kind: 'anonymous' } });
    github.server.addComment(`${defaultMarker}\nforged`, 'mallory');
    github.server.addComment(`${defaultMarker}\nours`, 'github-actions[bot]');
    expect(await postingLogin(client())).toBe('github-actions[bot]');
    expect((await upsertStickyComment(client(), pr, 'new')).action).toBe('updated');
    expect(github.server.comments[0]!.body).toBe(`${defaultMarker}\nforged`);
  });

  it('asks no identity while no comment carries the marker', async () => {
    github.server.addComment('a plain comment', 'mallory');
    await upsertStickyComment(client(), pr, 'report');
    expect(github.server.requests.map((r) => r.path)).not.toContain('/user');
  });

  it('names the missing permission on a 403, in one line', async () => {
    github.server.failNext(403);
    await expect(upsertStickyComment(client(), pr, 'x')).rejects.toMatchObject({
      code: 'ERR_RATCHET_GITHUB',
      message: 'GitHub refused to list the PR comments (403 Resource not accessible by integration): the workflow needs `permissions: pull-requests: write`',
    });
  });

  it('retries a 429 and then succeeds', async () => {
    github.server.failNext(429);
    const result = await upsertStickyComment(client(), pr, 'x');
    expect(result.action).toBe('created');
    expect(github.server.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('gives up on a server that keeps failing after the bounded retries', async () => {
    github.server.failAlways(500);
    await expect(upsertStickyComment(client(), pr, 'x')).rejects.toMatchObject({ code: 'ERR_RATCHET_GITHUB', message: expect.stringMatching(/^GitHub could not list the PR comments \(500/) });
    expect(github.server.requests).toHaveLength(3); // the request and 2 retries
  });

  it('truncates a comment over 65,536 characters with a link to the artifact', async () => {
    const huge = Array.from({ length: 5_000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`).join('\n');
    await upsertStickyComment(client(), pr, huge, { artifactUrl: 'https://github.test/artifact/1' });
    const body = github.server.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/\[Download it\]\(https:\/\/github\.test\/artifact\/1\)\.\n$/);
  });
});

describe('runCi', () => {
  const comparison = { counts: { regression: 1, improvement: 2, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0 } } as Comparison;

  it('in dry-run returns the body and makes no request', async () => {
    const result = await runCi({ comparison, markdown: '# report', dryRun: true, client: client(), pr, gpuMs: 90_000, costPerHour: 2 });
    expect(result.body).toBe('# report\n\n_GPU kernel time 90.0 s, about $0.0500 at $2/h._\n');
    expect(result.comment).toBeNull();
    expect(github.server.requests).toEqual([]);
  });

  it('posts the comment, writes the job summary and the step outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-ci-'));
    const env = { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output') };
    const result = await runCi({ comparison, markdown: '# report', dryRun: false, client: client(), pr, env });
    expect(result).toMatchObject({ regressions: 1, improvements: 2, summaryWritten: true, comment: { action: 'created' } });
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe('# report\n');
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('regressions=1\nimprovements=2\ninvalid=0\nverdict=regression\n');
  });

  it('says verdict=invalid when only a kernel failed its check, as the exit status does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-ci-'));
    const env = { GITHUB_OUTPUT: join(dir, 'output') };
    const onlyInvalid = { counts: { ...comparison.counts, regression: 0, invalid: 1 } } as Comparison;
    await runCi({ comparison: onlyInvalid, markdown: '# report', dryRun: false, env });
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('regressions=0\nimprovements=2\ninvalid=1\nverdict=invalid\n');
  });
});

describe('truncateComment', () => {
  it('leaves a short body alone', () => {
    expect(truncateComment('short')).toBe('short');
  });
});
