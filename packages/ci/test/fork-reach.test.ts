import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script (also the lint target), without type declarations.
import { selfHostedLabels } from '../scripts/lint-workflows.mjs';
import { forkReach, type Route, type WorkflowFile } from './fork-reach.js';
import { workspaceRoot } from './workspace.js';

const workflowsDir = join(workspaceRoot, '.github/workflows');
const repositoryFiles: WorkflowFile[] = readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({ path: `.github/workflows/${name}`, text: readFileSync(join(workflowsDir, name), 'utf8') }));
const selfHosted = ['self-hosted', ...(selfHostedLabels as string[])];

/** The runner groups' "Selected workflows" docs/ci.md tells the repository's admins to set. */
function documentedSelectedWorkflows(): string[] {
  const docs = readFileSync(join(workspaceRoot, 'docs/ci.md'), 'utf8');
  const line = docs.split('\n').find((text) => text.includes('**Selected workflows**'));
  if (!line) throw new Error('docs/ci.md names no **Selected workflows** for the runner groups');
  return [...line.matchAll(/`<owner>\/<repo>\/(\.github\/workflows\/[\w.-]+)@refs\/heads\/main`/g)].map((m) => m[1]!);
}

const reach = (files: WorkflowFile[], selectedWorkflows = documentedSelectedWorkflows()) =>
  // Both kinds of approval ratchet.yml's approve job gives: a comment's (ephemeral) and a writer's push.
  forkReach(files, { selfHosted, selectedWorkflows, approvals: [{ ephemeral: 'true' }, { ephemeral: 'false' }] });
const line = (route: Route) =>
  `${route.file.replace('.github/workflows/', '')} on ${route.event} (${route.copy}'s copy) ${route.job}: ${route.unapproved.join(' | ') || '-'} / approved: ${route.approved.join(' | ') || '-'}`;

describe("the repository's workflows against GitHub's rules for forks", () => {
  const { routes, findings } = reach(repositoryFiles);

  it('no fork-controlled file asks for a self-hosted runner, and no fork event reaches one (or checks out the PR) before a commit is approved', () => {
    expect(findings).toEqual([]);
  });

  it('routes every event a fork can cause: the PR\'s own copy runs hosted only; the GPU jobs (every kind, a matrix) only once approved, a comment\'s approval on ephemeral runners; one hosted merge', () => {
    const gpus = 'self-hosted, gpu, ephemeral, h100 | self-hosted, gpu, ephemeral, h200 | self-hosted, gpu, h100 | self-hosted, gpu, h200';
    expect(routes.filter((route) => route.unapproved.length + route.approved.length > 0).map(line)).toEqual([
      "ci.yml on pull_request (pull request's copy) affected: ubuntu-latest / approved: ubuntu-latest",
      "ratchet-action-report.yml on workflow_run (default branch's copy) report: calls ./.github/workflows/ratchet-report.yml / approved: calls ./.github/workflows/ratchet-report.yml",
      "ratchet-action.yml on pull_request (pull request's copy) harness: ubuntu-latest / approved: ubuntu-latest",
      "ratchet.yml on pull_request_target (default branch's copy) approve: ubuntu-latest / approved: ubuntu-latest",
      `ratchet.yml on pull_request_target (default branch's copy) bench: - / approved: ${gpus}`,
      "ratchet.yml on pull_request_target (default branch's copy) merge: - / approved: ubuntu-latest",
      "ratchet.yml on pull_request_target (default branch's copy) comment: - / approved: calls ./.github/workflows/ratchet-comment.yml",
      "ratchet.yml on issue_comment (default branch's copy) approve: ubuntu-latest / approved: ubuntu-latest",
      `ratchet.yml on issue_comment (default branch's copy) bench: - / approved: ${gpus}`,
      "ratchet.yml on issue_comment (default branch's copy) merge: - / approved: ubuntu-latest",
      "ratchet.yml on issue_comment (default branch's copy) comment: - / approved: calls ./.github/workflows/ratchet-comment.yml",
    ]);
  });

  it('docs/ci.md selects exactly the files that hold self-hosted jobs, none of which a pull request\'s copy runs', () => {
    const withSelfHosted = repositoryFiles.filter((file) => /runs-on: .*(self-hosted|gpu)/.test(file.text)).map((file) => file.path);
    expect(documentedSelectedWorkflows()).toEqual(withSelfHosted);
    expect(withSelfHosted).toEqual(['.github/workflows/ratchet.yml']);
  });
});

/** A fixture workflow, as a fork-facing file of a repository whose runner groups select it. */
const fixture = (name: string, text: string) => reach([{ path: `.github/workflows/${name}`, text }], [`.github/workflows/${name}`]).findings;
const checkoutHead = (ref: string) => `      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0\n        with:\n          ref: ${ref}\n      - run: make bench\n`;

describe('the model flags a workflow that lets a fork reach the GPU (it can fail)', () => {
  it('the label-gated pull_request workflow this repository had: the fork edits the condition away', () => {
    const text = readFileSync(join(workspaceRoot, 'packages/ci/test/fixtures/label-gated-pull-request.yml'), 'utf8');
    const findings = fixture('ratchet.yml', text);
    expect(findings).toContain(".github/workflows/ratchet.yml: job bench on pull_request (labeled): asks for a self-hosted runner in a file whose copy the fork writes (the pull request's), so no condition in it binds the fork");
    expect(findings.every((finding) => /on pull_request \((opened|synchronize|reopened|labeled)\): asks for a self-hosted runner/.test(finding))).toBe(true);
  });

  it('pull_request_target gated by a label: a label names no commit, and the fork pushes after it', () => {
    const findings = fixture('gpu.yml', `on:\n  pull_request_target:\n    types: [labeled, synchronize]\npermissions:\n  contents: read\njobs:\n  bench:\n    if: contains(github.event.pull_request.labels.*.name, 'run-gpu-bench')\n    runs-on: [self-hosted, gpu]\n    steps:\n${checkoutHead('${{ github.event.pull_request.head.sha }}')}`);
    const head = `octo/ratchet@${'f0'.repeat(20)}`;
    expect(findings).toEqual(['labeled', 'synchronize'].flatMap((action) => [
      `.github/workflows/gpu.yml: job bench on pull_request_target (${action}): before any approval, checks out ${head}, not the default branch`,
      `.github/workflows/gpu.yml: job bench on pull_request_target (${action}): runs on a self-hosted runner (self-hosted, gpu) with no approval of the commit: the fork's event alone starts it`,
      `.github/workflows/gpu.yml: job bench on pull_request_target (${action}): once approved, checks out ${head}, not the approved a9a9a9a9…`,
    ]));
  });

  it('a pwn request: pull_request_target checking out the head on a hosted runner, with our token and cache scope', () => {
    const findings = fixture('build.yml', `on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${checkoutHead('${{ github.event.pull_request.head.sha }}')}`);
    expect(findings).toContain(`.github/workflows/build.yml: job build on pull_request_target (opened): before any approval, checks out octo/ratchet@${'f0'.repeat(20)}, not the default branch`);
  });

  it('a comment command anyone can type, with no approval job', () => {
    const findings = fixture('gpu.yml', `on:\n  issue_comment:\n    types: [created]\njobs:\n  bench:\n    if: startsWith(github.event.comment.body, '/ratchet run')\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: make bench\n`);
    expect(findings).toEqual(['.github/workflows/gpu.yml: job bench on issue_comment (created): runs on a self-hosted runner (self-hosted, gpu) with no approval of the commit: the fork\'s event alone starts it']);
  });

  it('an approval job, and then the event\'s head checked out instead of the approved commit', () => {
    const approve = `  approve:\n    runs-on: ubuntu-latest\n    outputs:\n      sha: \${{ steps.a.outputs.sha }}\n    steps:\n      - id: a\n        uses: actions/github-script@f28e40c7f34bde8b3046d885e986cb6290c5673b # v7.1.0\n        with:\n          script: core.setOutput('sha', '')\n`;
    const bench = (ref: string) => `  bench:\n    needs: approve\n    if: needs.approve.outputs.sha != ''\n    runs-on: [self-hosted, gpu]\n    steps:\n${checkoutHead(ref)}`;
    const wrong = fixture('gpu.yml', `on: pull_request_target\npermissions:\n  contents: read\njobs:\n${approve}${bench('${{ github.event.pull_request.head.sha }}')}`);
    expect(wrong).toEqual(['opened', 'synchronize', 'reopened'].map((action) => `.github/workflows/gpu.yml: job bench on pull_request_target (${action}): once approved, checks out octo/ratchet@${'f0'.repeat(20)}, not the approved a9a9a9a9…`));
    const right = `on: pull_request_target\npermissions:\n  contents: read\njobs:\n${approve}${bench('${{ needs.approve.outputs.sha }}')}`;
    expect(fixture('gpu.yml', right)).toEqual([]);
    // Right commit, but the job that runs it could post, push or label with its token.
    const writing = fixture('gpu.yml', right.replace('    runs-on: [self-hosted, gpu]\n', '    runs-on: [self-hosted, gpu]\n    permissions:\n      pull-requests: write\n'));
    expect(writing).toContain(`.github/workflows/gpu.yml: job bench on pull_request_target (opened): runs the pull request's code (octo/ratchet@${'a9'.repeat(20)}) holding a token that writes pull-requests: post with another job`);
    // The same job without `if:`: it runs, unapproved, as soon as the approval job ends.
    const ungated = fixture('gpu.yml', `on: pull_request_target\njobs:\n${approve}${bench('${{ needs.approve.outputs.sha }}').replace("    if: needs.approve.outputs.sha != ''\n", '')}`);
    expect(ungated).toContain('.github/workflows/gpu.yml: job bench on pull_request_target (opened): runs on a self-hosted runner (self-hosted, gpu) with no approval of the commit: the fork\'s event alone starts it');
  });

  it('a matrix whose cells name their runners: the self-hosted cell of an unapproved pull_request_target is flagged, the hosted one not', () => {
    const findings = fixture('gpu.yml', `on: pull_request_target\npermissions:\n  contents: read\njobs:\n  bench:\n    strategy:\n      matrix:\n        runner: [ubuntu-latest, h100]\n    runs-on: \${{ matrix.runner == 'h100' && fromJSON(format('["self-hosted","gpu","{0}"]', matrix.runner)) || matrix.runner }}\n    steps:\n      - run: make bench\n`);
    expect(findings).toEqual(['opened', 'synchronize', 'reopened'].map((action) => `.github/workflows/gpu.yml: job bench on pull_request_target (${action}): runs on a self-hosted runner (self-hosted, gpu, h100) with no approval of the commit: the fork's event alone starts it`));
  });

  it('a workflow_run reporter that checks out Ratchet\'s action at the measured (the fork\'s) commit instead of the default branch\'s', () => {
    const report = readFileSync(join(workspaceRoot, '.github/workflows/ratchet-report.yml'), 'utf8');
    const caller = (ref: string) => ({ path: '.github/workflows/report.yml', text: `on:\n  workflow_run:\n    workflows: [perf]\n    types: [completed]\npermissions: {}\njobs:\n  report:\n    permissions:\n      actions: read\n      checks: write\n      pull-requests: write\n    uses: ./.github/workflows/ratchet-report.yml\n    with:\n      run-id: \${{ github.event.workflow_run.id }}\n      head-sha: \${{ github.event.workflow_run.head_sha }}\n      ratchet-repository: \${{ github.repository }}\n      ratchet-ref: ${ref}\n` });
    const called = { path: '.github/workflows/ratchet-report.yml', text: report };
    expect(reach([caller('${{ github.sha }}'), called], []).findings).toEqual([]);
    expect(reach([caller('${{ github.event.workflow_run.head_sha }}'), called], []).findings).toContain(`.github/workflows/report.yml: job report on workflow_run (completed): before any approval, checks out octo/ratchet@${'f0'.repeat(20)}, not the default branch`);
  });

  it('workflow_run after a workflow any fork can name, measuring the run\'s head', () => {
    const findings = fixture('gpu.yml', `on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]\njobs:\n  bench:\n    runs-on: [self-hosted, gpu]\n    steps:\n${checkoutHead('${{ github.event.workflow_run.head_sha }}')}`);
    expect(findings).toContain('.github/workflows/gpu.yml: job bench on workflow_run (completed): runs on a self-hosted runner (self-hosted, gpu) with no approval of the commit: the fork\'s event alone starts it');
  });

  it('a self-hosted job in a file the runner groups do not select, and one in a workflow a selected file calls', () => {
    const unlisted = reach([{ path: '.github/workflows/nightly.yml', text: 'on: push\njobs:\n  bench:\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: make bench\n' }], []).findings;
    expect(unlisted).toEqual(['.github/workflows/nightly.yml: job bench asks for a self-hosted runner, but the runner groups\' selected workflows do not list .github/workflows/nightly.yml: only jobs defined directly in a selected workflow get those runners']);
    const caller = { path: '.github/workflows/gpu.yml', text: "on: pull_request_target\njobs:\n  call:\n    uses: ./.github/workflows/called.yml\n" };
    const called = { path: '.github/workflows/called.yml', text: 'on: workflow_call\njobs:\n  bench:\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: make bench\n' };
    expect(reach([caller, called], ['.github/workflows/gpu.yml']).findings).toEqual([
      '.github/workflows/gpu.yml: job call on pull_request_target (opened): calls ./.github/workflows/called.yml, whose jobs ask for a self-hosted runner: a runner group grants it to jobs defined in the selected workflow only',
      '.github/workflows/gpu.yml: job call on pull_request_target (synchronize): calls ./.github/workflows/called.yml, whose jobs ask for a self-hosted runner: a runner group grants it to jobs defined in the selected workflow only',
      '.github/workflows/gpu.yml: job call on pull_request_target (reopened): calls ./.github/workflows/called.yml, whose jobs ask for a self-hosted runner: a runner group grants it to jobs defined in the selected workflow only',
      ".github/workflows/called.yml: job bench asks for a self-hosted runner, but the runner groups' selected workflows do not list .github/workflows/called.yml: only jobs defined directly in a selected workflow get those runners",
    ]);
  });
});
