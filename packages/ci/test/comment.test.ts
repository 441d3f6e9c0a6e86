import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Comparison } from '@ratchet/types';
import { createGitHubClient, defaultMarker, runCi, truncateComment, upsertStickyComment } from '../src/index.js';
import { startGitHubServer } from './github-server.js';

const pr = { owner: 'octo', repo: 'ratchet', issueNumber: 7 };
let server: Awaited<ReturnType<typeof startGitHubServer>>;
const client = () => createGitHubClient({ token: 't0ken', baseUrl: server.baseUrl, retries: 2, backoffMs: 5 });

beforeEach(async () => {
  server = await startGitHubServer({ perPage: 2 });
});
afterEach(async () => {
  await server.close();
});

describe('upsertStickyComment against a local GitHub', () => {
  it('creates the comment on the first run and updates the same one on the second', async () => {
    const first = await upsertStickyComment(client(), pr, 'report v1');
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(client(), pr, 'report v2');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(server.comments).toHaveLength(1);
    expect(server.comments[0]!.body).toBe(`${defaultMarker}\nreport v2`);
  });

  it('follows pagination to find the marker on page 2 of 3', async () => {
    for (const text of ['a', 'b', 'c']) server.addComment(text);
    server.addComment(`${defaultMarker}\nold report`);
    server.addComment('e');
    const result = await upsertStickyComment(client(), pr, 'new report');
    expect(result.action).toBe('updated');
    expect(server.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([
      '/repos/octo/ratchet/issues/7/comments?per_page=100',
      '/repos/octo/ratchet/issues/7/comments?per_page=2&page=2',
    ]);
    expect(server.comments[3]!.body).toBe(`${defaultMarker}\nnew report`);
  });

  it('names the missing permission on a 403, in one line', async () => {
    server.failNext(403);
    await expect(upsertStickyComment(client(), pr, 'x')).rejects.toMatchObject({
      code: 'ERR_RATCHET_GITHUB',
      message: 'GitHub refused to list the PR comments (403 Resource not accessible by integration): the workflow needs `permissions: pull-requests: write`',
    });
  });

  it('retries a 429 and then succeeds', async () => {
    server.failNext(429);
    const result = await upsertStickyComment(client(), pr, 'x');
    expect(result.action).toBe('created');
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('gives up on a server that keeps failing after the bounded retries', async () => {
    server.failAlways(500);
    await expect(upsertStickyComment(client(), pr, 'x')).rejects.toMatchObject({ code: 'ERR_RATCHET_GITHUB', message: expect.stringMatching(/^GitHub could not list the PR comments \(500/) });
    expect(server.requests).toHaveLength(3); // the request and 2 retries
  });

  it('truncates a comment over 65,536 characters with a link to the artifact', async () => {
    const huge = Array.from({ length: 5_000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`).join('\n');
    await upsertStickyComment(client(), pr, huge, { artifactUrl: 'https://github.test/artifact/1' });
    const body = server.comments[0]!.body;
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
    expect(server.requests).toEqual([]);
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
