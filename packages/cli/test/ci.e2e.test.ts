import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeChild, startGitHubServer } from '../../ci/test/github-server.js';
import { cliBin, ratchet, scratchProject } from './cli-harness.js';

/** Async spawn: the fake GitHub server runs in this process and must keep answering. */
const ratchetAsync = (cwd: string, args: string[], env: Record<string, string>) => nodeChild([cliBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });

describe('ratchet ci', () => {
  let server: Awaited<ReturnType<typeof startGitHubServer>>;
  const dir = scratchProject();
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startGitHubServer();
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 42 } }));
    env = { GITHUB_TOKEN: 'x', GITHUB_API_URL: server.baseUrl, GITHUB_REPOSITORY: 'octo/ratchet', GITHUB_EVENT_PATH: event, GITHUB_REF: 'refs/heads/topic' };
  });
  afterAll(() => server.close());

  it('--dry-run prints the comment and posts nothing', () => {
    const run = ratchet(dir, ['ci', '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/# Performance Ratchet Report/);
    expect(server.requests).toEqual([]);
  });

  it('--dry-run --json prints one JSON object: the verdict and the comment it would post', () => {
    const run = ratchet(dir, ['--json', 'ci', '--dry-run']);
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as { dryRun: boolean; verdict: string; regressions: number; comment: unknown; body: string };
    expect(printed).toMatchObject({ dryRun: true, verdict: 'ok', regressions: 0, comment: null });
    expect(printed.body).toMatch(/^<!-- ratchet-report -->|# Performance Ratchet Report/m);
    expect(server.requests).toEqual([]);
  });

  it('posts one sticky comment, then updates it', async () => {
    expect((await ratchetAsync(dir, ['ci'], env)).status).toBe(0);
    const second = await ratchetAsync(dir, ['ci'], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/PR comment updated: /);
    expect(server.comments).toHaveLength(1);
  });

  it("never edits another account's comment that carries the marker, placed before its own", async () => {
    server.addComment('<!-- ratchet-report -->\nforged: no regressions', 'mallory');
    server.comments.unshift(server.comments.pop()!);
    const run = await ratchetAsync(dir, ['ci'], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/PR comment updated: /);
    expect(server.comments.map((c) => c.user.login)).toEqual(['mallory', 'github-actions[bot]']);
    expect(server.comments[0]!.body).toBe('<!-- ratchet-report -->\nforged: no regressions');
    expect(server.comments[1]!.body).toMatch(/# Performance Ratchet Report/);
  });

  it('a 403 names the missing permission and still prints the verdict', async () => {
    server.failAlways(403);
    const run = await ratchetAsync(dir, ['ci'], env);
    server.failAlways(null);
    expect(run.stdout).toMatch(/2 unchanged|2 new|2 improvement|inconclusive/);
    expect(run.stderr).toMatch(/permissions: pull-requests: write/);
    expect(run.status).toBe(3);
  });
});
