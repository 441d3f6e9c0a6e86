import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain ESM script (also the lint target), without type declarations.
import { lintWorkflow, lintWorkflows, shellcheckMissing } from '../scripts/lint-workflows.mjs';
import { createGitHubClient } from '../src/index.js';
import { evaluate, runs } from './expressions.js';
import { startGitHubServer } from './github-server.js';
import { workspaceRoot } from './workspace.js';

interface Step { uses?: string; run?: string; with?: Record<string, string>; if?: string }
interface Job { if?: string; 'runs-on': string | string[]; permissions?: Record<string, string>; concurrency?: { group: string; 'cancel-in-progress': boolean }; steps: Step[] }
interface Workflow { on: Record<string, { types?: string[] } | null>; permissions?: Record<string, string>; jobs: Record<string, Job> }

const workflowsDir = join(workspaceRoot, '.github/workflows');
const source = (name: string) => readFileSync(join(workflowsDir, name), 'utf8');
const workflow = (name: string) => parse(source(name)) as Workflow;
const workflowNames = readdirSync(workflowsDir).filter((name) => name.endsWith('.yml'));
const labels = (job: Job) => [job['runs-on']].flat();

// A clean machine has no shellcheck (README lists it as optional): its checks skip, saying so,
// and actionlint's still run. .ci/run installs it, so CI checks the run: blocks for real.
const noShellcheck: string | null = shellcheckMissing();
if (noShellcheck) console.warn(`workflow lint: shellcheck checks skipped: ${noShellcheck}`);

describe('workflow lint (actionlint 1.7.7 + shellcheck)', () => {
  it('finds nothing in .github/workflows', async () => {
    expect(await lintWorkflows(undefined, { shellcheck: noShellcheck === null })).toEqual([]);
  });

  const fixture = (uses: string, run = 'echo ok') =>
    `name: t\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n        with:\n          fetch-dept: 0\n      - run: |\n          echo start\n          ${run}\n`;

  it('flags an unknown input of actions/checkout@v4', async () => {
    const findings: string[] = await lintWorkflow(fixture('actions/checkout@v4'), 'fixture.yml', { shellcheck: noShellcheck === null });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^fixture\.yml:9:11: input "fetch-dept" is not defined in action "actions\/checkout@v4"/);
  });

  it('checks a pinned action against the version its comment names', async () => {
    const findings: string[] = await lintWorkflow(fixture('actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0'), 'fixture.yml', { shellcheck: noShellcheck === null });
    expect(findings.join('\n')).toMatch(/^fixture\.yml:9:11: input "fetch-dept" is not defined/);
  });

  it.skipIf(noShellcheck !== null)('runs shellcheck on run: blocks, with the workflow line of the finding', async () => {
    const findings: string[] = await lintWorkflow(fixture('actions/checkout@v4', 'rm -rf $DIR/build ${{ github.sha }}').replace('fetch-dept', 'fetch-depth'), 'fixture.yml');
    expect(findings).toEqual([expect.stringMatching(/^fixture\.yml:12:\d+: note: Double quote to prevent globbing and word splitting\. \[SC2086\] \[shellcheck, job a\]$/)]);
  });
});

describe('actions are pinned', () => {
  it.each(workflowNames)('%s: every action is a full commit SHA with its version in a comment, one pin per action', (name) => {
    const pins = new Map<string, string>();
    for (const line of source(name).split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
      const match = /uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/.exec(line);
      expect(match, line).not.toBeNull();
      expect(pins.get(match![1]!) ?? match![2], `${match![1]} pinned to two commits`).toBe(match![2]);
      pins.set(match![1]!, match![2]!);
    }
  });
});

/** The contexts GitHub evaluates a condition in, for one event. */
function event(options: { name: string; action?: string; label?: string; fork?: boolean; labels?: string[]; gpu?: boolean; ref?: string }) {
  const repository = 'octo/ratchet';
  const pullRequest = {
    number: 7,
    head: { sha: 'c0ffee'.padEnd(40, '0'), repo: { full_name: options.fork ? 'stranger/ratchet' : repository } },
    base: { sha: 'ba5e'.padEnd(40, '0') },
    labels: (options.labels ?? []).map((name) => ({ name })),
  };
  return {
    github: {
      event_name: options.name,
      repository,
      ref: options.ref ?? (options.name === 'pull_request' ? 'refs/pull/7/merge' : 'refs/heads/main'),
      sha: 'merge'.padEnd(40, '0'),
      event: { action: options.action ?? null, ...(options.label ? { label: { name: options.label } } : {}), ...(options.name.startsWith('pull_request') ? { pull_request: pullRequest } : {}) },
    },
    needs: { affected: { outputs: { gpu: options.gpu === false ? 'false' : 'true' } } },
  };
}

describe('ratchet.yml: who can run code on the GPU host', () => {
  const { on, jobs } = workflow('ratchet.yml');
  // A job runs when its own condition holds and every job it needs ran (skipped needs skip it).
  const gpuJobRuns = (job: 'bench' | 'promote', context: ReturnType<typeof event>) => runs(jobs.affected!.if, context) && runs(jobs[job]!.if, context);

  it('starts on pull requests (labeled included), pushes to main and by hand, never on pull_request_target', () => {
    expect(on.pull_request!.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'reopened', 'labeled']));
    expect(Object.keys(on)).not.toContain('pull_request_target');
  });

  it("runs a branch of this repository's pull request on every push, and never for a label", () => {
    for (const action of ['opened', 'synchronize', 'reopened']) expect(gpuJobRuns('bench', event({ name: 'pull_request', action })), action).toBe(true);
    expect(gpuJobRuns('bench', event({ name: 'pull_request', action: 'labeled', label: 'documentation' }))).toBe(false);
    expect(runs(jobs.affected!.if, event({ name: 'pull_request', action: 'labeled', label: 'documentation' }))).toBe(false);
  });

  it('runs a fork only on the labeled event of run-gpu-bench, at the head commit labelled', () => {
    expect(gpuJobRuns('bench', event({ name: 'pull_request', action: 'opened', fork: true }))).toBe(false);
    const labelled = event({ name: 'pull_request', action: 'labeled', label: 'run-gpu-bench', fork: true, labels: ['run-gpu-bench'] });
    expect(gpuJobRuns('bench', labelled)).toBe(true);
    const checkout = jobs.bench!.steps.find((step) => step.uses?.startsWith('actions/checkout@'))!;
    expect(evaluate(checkout.with!.ref!, labelled)).toBe(labelled.github.event.pull_request!.head.sha);
    expect(checkout.with!['persist-credentials']).toBe(false);
  });

  it('never runs a fork push made after the label, nor for another label added later', () => {
    expect(gpuJobRuns('bench', event({ name: 'pull_request', action: 'synchronize', fork: true, labels: ['run-gpu-bench'] }))).toBe(false);
    expect(gpuJobRuns('bench', event({ name: 'pull_request', action: 'labeled', label: 'bug', fork: true, labels: ['run-gpu-bench', 'bug'] }))).toBe(false);
  });

  it('needs the GPU only when nx says so', () => {
    expect(gpuJobRuns('bench', event({ name: 'pull_request', action: 'opened', gpu: false }))).toBe(false);
  });

  it('promotes the baseline on pushes to main only, on its own runner, and the PR job never holds a write to contents', () => {
    expect(gpuJobRuns('promote', event({ name: 'push' }))).toBe(true);
    expect(gpuJobRuns('bench', event({ name: 'push' }))).toBe(false);
    expect(gpuJobRuns('promote', event({ name: 'push', ref: 'refs/heads/feature' }))).toBe(false);
    for (const action of ['opened', 'labeled']) expect(gpuJobRuns('promote', event({ name: 'pull_request', action, label: 'run-gpu-bench', fork: true }))).toBe(false);
    expect(labels(jobs.promote!)).toEqual(['self-hosted', 'gpu-trusted']);
    expect(labels(jobs.bench!)).toEqual(['self-hosted', 'gpu']);
    expect(jobs.bench!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('serializes every GPU job of the repository in one concurrency group, queued, never cancelled', () => {
    const gpuJobs = Object.entries(jobs).filter(([, job]) => labels(job).includes('self-hosted'));
    expect(gpuJobs.map(([name]) => name).sort()).toEqual(['bench', 'promote']);
    for (const [name, job] of gpuJobs) expect(job.concurrency, name).toEqual({ group: 'ratchet-gpu', 'cancel-in-progress': false });
  });
});

describe('ratchet-unlabel.yml: a push to a fork withdraws the approval', () => {
  const { on, permissions, jobs } = workflow('ratchet-unlabel.yml');
  const job = jobs.unlabel!;

  it('removes the label on a fork push, never checks out the PR, and holds only pull-requests: write', () => {
    expect(on).toEqual({ pull_request_target: { types: ['synchronize'] } });
    expect(runs(job.if, event({ name: 'pull_request_target', action: 'synchronize', fork: true, labels: ['run-gpu-bench'] }))).toBe(true);
    expect(runs(job.if, event({ name: 'pull_request_target', action: 'synchronize', fork: true }))).toBe(false);
    expect(runs(job.if, event({ name: 'pull_request_target', action: 'synchronize', labels: ['run-gpu-bench'] }))).toBe(false);
    expect(permissions).toEqual({});
    expect(job.permissions).toEqual({ 'pull-requests': 'write' });
    expect(job.steps.every((step) => step.uses === undefined)).toBe(true);
    expect(job.steps.map((step) => step.run)).toEqual(['gh pr edit "$PR_NUMBER" --repo "$REPOSITORY" --remove-label run-gpu-bench']);
  });
});

describe('every workflow declares least-privilege permissions', () => {
  it.each(workflowNames)('%s: read-only at the top, per-job permissions', (name) => {
    const { permissions, jobs } = workflow(name);
    expect(Object.values(permissions ?? {}).every((level) => level === 'read')).toBe(true);
    for (const [jobName, job] of Object.entries(jobs)) expect(job.permissions, `${name}: ${jobName}`).toBeDefined();
  });
});

describe('ratchet-comment.yml: the fork comment checks the PR number it is handed', () => {
  const { jobs } = workflow('ratchet-comment.yml');
  const steps = jobs.comment!.steps;
  const script = steps.find((step) => step.uses?.startsWith('actions/github-script@'))!.with!.script!;
  const headSha = 'f0'.repeat(20);
  const pulls = {
    7: { number: 7, head: { sha: headSha, repo: { full_name: 'stranger/ratchet' } } },
    8: { number: 8, head: { sha: 'a1'.repeat(20), repo: { full_name: 'octo/ratchet' } } },
  };
  let server: Awaited<ReturnType<typeof startGitHubServer>> | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  /** Runs the workflow's own script as actions/github-script would, against a local GitHub. */
  async function postFor(prNumber: string | null) {
    server = await startGitHubServer({ pulls });
    const artifact = mkdtempSync(join(tmpdir(), 'ratchet-comment-'));
    if (prNumber !== null) {
      writeFileSync(join(artifact, 'pr-number.txt'), `${prNumber}\n`);
      writeFileSync(join(artifact, 'report.md'), '# Performance Ratchet Report\n');
    }
    const context = {
      repo: { owner: 'octo', repo: 'ratchet' },
      payload: { workflow_run: { head_sha: headSha, head_repository: { full_name: 'stranger/ratchet' } } },
    };
    const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    const github = createGitHubClient({ token: 't0ken', baseUrl: server.baseUrl, retries: 0 });
    await new AsyncFunction('require', 'github', 'context', 'process', script)(createRequire(import.meta.url), github, context, { env: { ARTIFACT_DIR: artifact } });
    return server;
  }

  it('never checks out code', () => {
    expect(steps.some((step) => step.uses?.startsWith('actions/checkout@'))).toBe(false);
  });

  it("comments on the PR whose head is the run's commit from the run's repository", async () => {
    const github = await postFor('7');
    expect(github.comments.map((c) => c.body)).toEqual(['<!-- ratchet-report -->\n# Performance Ratchet Report\n']);
    expect(github.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/repos/octo/ratchet/issues/7/comments']);
  });

  it('refuses a PR number that names another pull request, and posts nothing', async () => {
    await expect(postFor('8')).rejects.toThrow(/pr-number\.txt names #8 \(head octo\/ratchet@a1a1.*\), but the run measured stranger\/ratchet@f0f0.*: not commenting/);
    expect(server!.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('posts nothing, and does not fail, when the GPU job did not run (no artifact)', async () => {
    const github = await postFor(null);
    expect(github.requests).toEqual([]);
  });

  it('refuses a PR number that is not digits', async () => {
    await expect(postFor('7; rm -rf /')).rejects.toThrow('pr-number.txt holds no PR number');
  });
});
