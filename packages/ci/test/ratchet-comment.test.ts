import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startGitHubServer, type TokenIdentity } from './github-server.js';
import { runGitHubScript, workflowScript } from './github-script.js';
import { workspaceRoot } from './workspace.js';

const marker = '<!-- ratchet-report -->';
const { on, jobs } = parse(readFileSync(join(workspaceRoot, '.github/workflows/ratchet-comment.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { permissions: Record<string, string>; steps: { uses?: string; run?: string }[] }>;
};

let server: Awaited<ReturnType<typeof startGitHubServer>> | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** The workflow's own script, as actions/github-script runs it, posting `report` (null: no artifact) to PR `pr`. */
async function post(report: string | null, options: { pr?: string; identity?: TokenIdentity; existing?: [string, string][] } = {}) {
  server = await startGitHubServer(options.identity ? { identity: options.identity } : {});
  for (const [body, login] of options.existing ?? []) server.addComment(body, login);
  const artifact = mkdtempSync(join(tmpdir(), 'ratchet-comment-'));
  if (report !== null) writeFileSync(join(artifact, 'report.md'), report);
  const run = await runGitHubScript(workflowScript('ratchet-comment.yml', 'comment'), {
    baseUrl: server.baseUrl,
    context: { repo: { owner: 'octo', repo: 'ratchet' } },
    env: { ARTIFACT_DIR: artifact, PR_NUMBER: options.pr ?? '7' },
  });
  return { run, github: server };
}

describe('ratchet-comment.yml: the sticky comment, posted by code that never runs the pull request', () => {
  it('is a reusable workflow only (nothing else starts it), checks out nothing, runs no shell, and holds pull-requests: write alone', () => {
    expect(Object.keys(on)).toEqual(['workflow_call']);
    expect(jobs.comment!.permissions).toEqual({ 'pull-requests': 'write' });
    expect(jobs.comment!.steps.map((step) => step.uses?.replace(/@.*/, ''))).toEqual(['actions/download-artifact', 'actions/github-script']);
    expect(jobs.comment!.steps.some((step) => step.run !== undefined)).toBe(false);
  });

  it('posts the report to the pull request the caller names', async () => {
    const { github } = await post('# Performance Ratchet Report\n');
    expect(github.comments.map((c) => [c.user.login, c.body])).toEqual([['github-actions[bot]', `${marker}\n# Performance Ratchet Report\n`]]);
    expect(github.requests.filter((r) => r.method === 'POST' && r.path.includes('/comments')).map((r) => r.path)).toEqual(['/repos/octo/ratchet/issues/7/comments']);
  });

  it("leaves an attacker's comment carrying the marker alone and posts its own", async () => {
    const { github } = await post('# report\n', { existing: [[`${marker}\nforged: no regressions`, 'mallory']] });
    expect(github.comments.map((c) => [c.user.login, c.body])).toEqual([
      ['mallory', `${marker}\nforged: no regressions`],
      ['github-actions[bot]', `${marker}\n# report\n`],
    ]);
    expect(github.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it("edits its own comment, past an attacker's, and only that one", async () => {
    const { github } = await post('# new\n', { existing: [[`${marker}\nforged`, 'mallory'], [`${marker}\n# old\n`, 'github-actions[bot]']] });
    expect(github.comments.map((c) => c.body)).toEqual([`${marker}\nforged`, `${marker}\n# new\n`]);
  });

  it("posting with an app's installation token, edits the app's comment (the GraphQL viewer), not the Actions bot's", async () => {
    const { github } = await post('# new\n', { identity: { kind: 'installation', login: 'ratchet-app[bot]' }, existing: [[`${marker}\n# actions\n`, 'github-actions[bot]'], [`${marker}\n# app\n`, 'ratchet-app[bot]']] });
    expect(github.comments.map((c) => c.body)).toEqual([`${marker}\n# actions\n`, `${marker}\n# new\n`]);
  });

  it('posts nothing, and does not fail, when the GPU job measured nothing (no report)', async () => {
    const { run, github } = await post(null);
    expect(github.requests).toEqual([]);
    expect(run.log).toEqual(['no report in the ratchet-comment artifact: the GPU job measured nothing (see its log), nothing to post']);
  });

  it('refuses a PR number that is not one', async () => {
    await expect(post('# report\n', { pr: '7; rm -rf /' })).rejects.toThrow('PR_NUMBER "7; rm -rf /" is no pull request number');
  });
});
