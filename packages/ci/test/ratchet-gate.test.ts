import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate, runs } from './expressions.js';
import { startGitHubServer } from './github-server.js';
import { runGitHubScript, workflowScript, type ScriptRun } from './github-script.js';
import { workspaceRoot } from './workspace.js';

interface Step { uses?: string; run?: string; with?: Record<string, unknown> }
interface Job {
  if?: string; needs?: string | string[]; 'runs-on'?: string | string[]; permissions?: Record<string, string>; concurrency?: unknown; uses?: string; with?: Record<string, string>;
  outputs?: Record<string, string>; steps?: Step[]; strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown[]> };
}
const read = (name: string) => parse(readFileSync(join(workspaceRoot, '.github/workflows', name), 'utf8')) as { on: Record<string, { types?: string[] } | null>; jobs: Record<string, Job> };
const { on, jobs } = read('ratchet.yml');

const here = 'octo/ratchet';
const head = 'c0'.repeat(20);
const base = 'ba'.repeat(20);
const mainSha = 'd1'.repeat(20);
const pull = (from: string, state = 'open') => ({ number: 7, state, head: { sha: head, repo: { full_name: from } }, base: { sha: base } });
// admin, maintain and write read as admin or write on this endpoint; triage and read as read.
const permissions = { maintainer: 'write', owner: 'admin', triager: 'read' };

let server: Awaited<ReturnType<typeof startGitHubServer>> | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** ratchet.yml's own approve script, against a local GitHub holding PR #7 from `from`. */
async function approve(eventName: string, payload: Record<string, unknown>, options: { from?: string; state?: string; ref?: string } = {}): Promise<ScriptRun> {
  server = await startGitHubServer({ pulls: { 7: pull(options.from ?? 'stranger/ratchet', options.state) }, permissions });
  const context = { repo: { owner: 'octo', repo: 'ratchet' }, eventName, payload: { repository: { default_branch: 'main' }, ...payload }, ref: options.ref ?? 'refs/heads/main', sha: mainSha, actor: 'maintainer' };
  return runGitHubScript(workflowScript('ratchet.yml', 'approve'), { baseUrl: server.baseUrl, context });
}
const pushedBy = (sender: string, from: string) => approve('pull_request_target', { action: 'synchronize', pull_request: pull(from), sender: { login: sender } });
const comment = (login: string, body: string, options: { state?: string } = {}) =>
  approve('issue_comment', { action: 'created', issue: { number: 7, pull_request: { url: 'pull/7' } }, comment: { body, user: { login } }, sender: { login } }, options);

/** The contexts ratchet.yml's conditions see once `approve` ended with these outputs. */
const afterApproval = (outputs: Record<string, string>, eventName = 'pull_request_target') => ({
  github: { event_name: eventName, repository: here, ref: 'refs/heads/main', sha: mainSha },
  needs: { approve: { result: 'success', outputs: { sha: '', pr: '', base: '', ephemeral: '', measure: '', ...outputs } }, bench: { result: 'success' }, merge: { result: 'success' } },
});
/** The labels one cell of bench's matrix asks for (the H100 cell, unless another kind is named). */
const benchLabels = (outputs: Record<string, string>, kind = 'h100') => evaluate(jobs.bench!['runs-on'] as string, { ...afterApproval(outputs), matrix: { kind, shard: 1, shards: 2 } });

describe('ratchet.yml starts only on events that run the default branch\'s copy', () => {
  it('never on pull_request (the PR\'s own copy, which a fork edits): pull_request_target, a created comment, a push to main, by hand', () => {
    expect(on).toEqual({
      pull_request_target: { types: ['opened', 'synchronize', 'reopened'] },
      issue_comment: { types: ['created'] },
      push: { branches: ['main'] },
      workflow_dispatch: null,
    });
  });

  it('decides approval in a job that checks out nothing and runs no shell: one github-script step, a read-only token', () => {
    expect(jobs.approve!.steps!.map((step) => step.uses?.replace(/@.*/, ''))).toEqual(['actions/github-script']);
    expect(jobs.approve!.permissions).toEqual({ 'pull-requests': 'read' });
    expect(jobs.approve!['runs-on']).toBe('ubuntu-latest');
  });

  it('starts the approval job only for a /ratchet run comment on a pull request, never for other comments', () => {
    const commented = (body: string, onPull = true) => ({ github: { event_name: 'issue_comment', event: { issue: { number: 7, ...(onPull ? { pull_request: { url: 'x' } } : {}) }, comment: { body } } } });
    expect(runs(jobs.approve!.if, commented(`/ratchet run ${head}`))).toBe(true);
    expect(runs(jobs.approve!.if, commented('thanks, looks good'))).toBe(false);
    expect(runs(jobs.approve!.if, commented(`/ratchet run ${head}`, false))).toBe(false);
  });
});

describe("ratchet.yml's approve: which commit may run on the GPU, from the event and GitHub's API", () => {
  it('a push to a branch of this repository by someone with write access: that head, any GPU runner, measured where nx says so', async () => {
    const run = await pushedBy('maintainer', here);
    expect(run.failed).toBeNull();
    expect(run.outputs).toEqual({ sha: head, pr: '7', base, ephemeral: 'false', measure: 'affected' });
    expect(benchLabels(run.outputs)).toEqual(['self-hosted', 'gpu', 'h100']);
    expect(benchLabels(run.outputs, 'h200')).toEqual(['self-hosted', 'gpu', 'h200']);
  });

  it("a fork's push approves nothing and says what a maintainer comments after reading it", async () => {
    const run = await pushedBy('stranger', 'stranger/ratchet');
    expect(run).toMatchObject({ outputs: {}, failed: null });
    expect(run.notices).toEqual([`not run on the GPU: ${head} (from stranger/ratchet, sent by stranger). Someone with write access reads it, then comments "/ratchet run ${head}"`]);
    expect(runs(jobs.bench!.if, afterApproval(run.outputs))).toBe(false);
  });

  it('a branch of this repository pushed by an account without write access (a bot) waits for a comment too', async () => {
    expect((await pushedBy('dependabot[bot]', here)).outputs).toEqual({});
    expect((await pushedBy('triager', here)).outputs).toEqual({});
  });

  it("a maintainer's /ratchet run <head SHA>: that commit, on an ephemeral runner only, always measured", async () => {
    const run = await comment('maintainer', `/ratchet run ${head}\n`);
    expect(run.failed).toBeNull();
    expect(run.outputs).toEqual({ sha: head, pr: '7', base, ephemeral: 'true', measure: 'always' });
    expect(runs(jobs.bench!.if, afterApproval(run.outputs, 'issue_comment'))).toBe(true);
    expect(benchLabels(run.outputs)).toEqual(['self-hosted', 'gpu', 'ephemeral', 'h100']);
    const owner = await comment('owner', `/ratchet run ${head}`);
    expect(owner.outputs.sha).toBe(head);
  });

  it('the same comment from an account without write access (the fork\'s author, a triager) approves nothing', async () => {
    for (const login of ['stranger', 'triager']) {
      const run = await comment(login, `/ratchet run ${head}`);
      expect(run.outputs).toEqual({});
      expect(run.failed).toBe(`${login} has no write access to octo/ratchet: only the comment of someone who has approves a commit`);
    }
  });

  it('an approval of a commit that is no longer the head (the fork pushed since) runs nothing, naming both', async () => {
    const read = 'ab'.repeat(20);
    const run = await comment('maintainer', `/ratchet run ${read}`);
    expect(run.outputs).toEqual({});
    expect(run.failed).toBe(`#7's head is ${head}, not ${read}: read the newer commits, then approve the head by its SHA`);
  });

  it('a short SHA, a bare /ratchet run, or a closed pull request approve nothing', async () => {
    expect((await comment('maintainer', `/ratchet run ${head.slice(0, 12)}`)).failed).toMatch(/^expected "\/ratchet run <the head commit's full 40-character SHA>" but received "\/ratchet run c0c0c0c0c0c0"$/);
    expect((await comment('maintainer', '/ratchet run')).outputs).toEqual({});
    const closed = await comment('maintainer', `/ratchet run ${head}`, { state: 'closed' });
    expect(closed).toMatchObject({ outputs: {}, failed: '#7 is closed: nothing is run for it' });
  });

  it('a manual run on main approves main\'s commit; on another branch it approves nothing', async () => {
    expect((await approve('workflow_dispatch', {})).outputs).toEqual({ sha: mainSha, pr: '', base: '', ephemeral: 'false', measure: 'always' });
    const elsewhere = await approve('workflow_dispatch', {}, { ref: 'refs/heads/topic' });
    expect(elsewhere).toMatchObject({ outputs: {}, failed: 'run it on refs/heads/main: the GPU runners take jobs of this workflow on the default branch only' });
  });
});

describe("ratchet.yml's GPU jobs", () => {
  it('bench runs only with an approved SHA, checks out that SHA and nothing else, and its token can only read', () => {
    expect(runs(jobs.bench!.if, afterApproval({}))).toBe(false);
    const approved = afterApproval({ sha: head, pr: '7', base, ephemeral: 'true', measure: 'always' });
    expect(runs(jobs.bench!.if, approved)).toBe(true);
    const checkouts = jobs.bench!.steps!.filter((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkouts).toHaveLength(1);
    expect(evaluate(String(checkouts[0]!.with!.ref), approved)).toBe(head);
    expect(checkouts[0]!.with!['persist-credentials']).toBe(false);
    expect(jobs.bench!.permissions).toEqual({ contents: 'read' });
    expect(jobs.bench!.steps![1]!.run).toMatch(/git rev-parse HEAD/);
  });

  it('anything but an explicit ephemeral=false (a writer\'s push) asks for an ephemeral runner', () => {
    for (const value of ['true', '', 'False ', 'no']) expect(benchLabels({ sha: head, ephemeral: value }), value).toEqual(['self-hosted', 'gpu', 'ephemeral', 'h100']);
  });

  it('measures every GPU kind x every shard, one job each, no cell cancelled by another (no shared concurrency group)', () => {
    expect(jobs.bench!.strategy).toEqual({ 'fail-fast': false, matrix: { kind: ['h100', 'h200'], shard: [1, 2], shards: [2] } });
    expect(jobs.bench!.concurrency).toBeUndefined();
    const measure = jobs.bench!.steps!.find((step) => step.run?.includes('ratchet run'))!;
    expect(measure.run).toContain('--shard "$SHARD" --base "$base"');
    expect((measure as { env?: Record<string, string> }).env!.SHARD).toBe('${{ matrix.shard }}/${{ matrix.shards }}');
    const upload = jobs.bench!.steps!.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with!.name).toBe('ratchet-shard-${{ matrix.kind }}-${{ matrix.shard }}');
  });

  it('merges the shards in one hosted job: the default branch\'s Ratchet, a read-only token, after every shard (failed ones too), failing on a regression on any device', () => {
    const job = jobs.merge!;
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.needs).toEqual(['approve', 'bench']);
    const checkouts = job.steps!.filter((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkouts.map((step) => step.with)).toEqual([{ 'persist-credentials': false }]);
    const approved = afterApproval({ sha: head, pr: '7' });
    expect(runs(job.if, { ...approved, needs: { ...approved.needs, bench: { result: 'failure' } } })).toBe(true);
    expect(runs(job.if, { ...approved, needs: { ...approved.needs, bench: { result: 'skipped' } } })).toBe(false);
    expect(runs(job.if, afterApproval({}))).toBe(false);
    expect(job.steps!.find((step) => step.run?.includes('ratchet merge'))!.run).toContain('pnpm -s ratchet merge "${shards[@]}"');
    expect(job.steps!.at(-1)!.run).toMatch(/exit "\$EXIT"/);
  });

  it('comments through ratchet-comment.yml with a write token, on the PR approve named, after the merge (a regression included)', () => {
    const job = jobs.comment!;
    expect(job).toMatchObject({ needs: ['approve', 'merge'], uses: './.github/workflows/ratchet-comment.yml', permissions: { 'pull-requests': 'write' } });
    const called = read('ratchet-comment.yml').on.workflow_call as unknown as { inputs: Record<string, { type: string; required: boolean }> };
    expect(Object.keys(job.with!)).toEqual(Object.keys(called.inputs));
    expect(evaluate(job.with!.pr!, afterApproval({ sha: head, pr: '7' }))).toBe(7);
    const failedMerge = { ...afterApproval({ sha: head, pr: '7' }), needs: { ...afterApproval({ sha: head, pr: '7' }).needs, merge: { result: 'failure' } } };
    expect(runs(job.if, failedMerge)).toBe(true);
    expect(runs(job.if, afterApproval({ sha: mainSha, pr: '' }))).toBe(false);
  });

  it('on pushes to main only: every kind x shard measured on gpu-trusted with a read-only token, then promoted by one hosted job holding the write tokens', () => {
    const pushed = { github: { event_name: 'push', ref: 'refs/heads/main' }, needs: { affected: { outputs: { gpu: 'true' } }, measure: { result: 'success' } } };
    for (const name of ['measure', 'promote']) {
      expect(runs(jobs[name]!.if, pushed), name).toBe(true);
      expect(runs(jobs[name]!.if, { ...pushed, github: { event_name: 'pull_request_target', ref: 'refs/heads/main' } }), name).toBe(false);
      expect(runs(jobs[name]!.if, { ...pushed, needs: { ...pushed.needs, affected: { outputs: { gpu: 'false' } } } }), name).toBe(false);
    }
    expect(evaluate(jobs.measure!['runs-on'] as string, { matrix: { kind: 'h200' } })).toEqual(['self-hosted', 'gpu-trusted', 'h200']);
    expect(jobs.measure!.strategy!.matrix).toEqual(jobs.bench!.strategy!.matrix);
    expect(jobs.measure!.permissions).toEqual({ contents: 'read' });
    expect(jobs.promote!['runs-on']).toBe('ubuntu-latest');
    expect(jobs.promote!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', issues: 'write' });
    expect(jobs.promote!.steps!.find((step) => step.run?.includes('ratchet merge'))!.run).toContain('pnpm -s ratchet merge --ratchet "${shards[@]}"');
    // After the run is in the history (a regression on main included): the drift issues of every kind.
    const steps = jobs.promote!.steps!.map((step) => step.run ?? '');
    const drift = steps.indexOf('pnpm -s ratchet ci --drift');
    expect(drift).toBeGreaterThan(steps.indexOf('pnpm -s ratchet history push'));
    expect((jobs.promote!.steps![drift] as { if?: string }).if).toBe('${{ !cancelled() }}');
    for (const name of ['bench', 'measure', 'promote']) expect(jobs[name]!.concurrency, name).toBeUndefined();
  });

  it('restores no cache in any job: pull-request code could have written one under this workflow\'s scope', () => {
    const withCache = Object.entries(jobs).flatMap(([name, job]) => (job.steps ?? []).filter((step) => step.with?.cache !== undefined).map(() => name));
    expect(withCache).toEqual([]);
  });
});
