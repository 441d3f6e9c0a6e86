/**
 * GitHub's rules for which copy of a workflow file runs on an event a fork's author can cause,
 * applied to a set of workflow files: where fork-controlled code can run, on which runner labels,
 * and whether it reaches a self-hosted runner without a maintainer's approval of the exact commit.
 *
 * The rules (docs.github.com, "Events that trigger workflows" and "Secure use reference"):
 * - `pull_request`, `pull_request_review`, `pull_request_review_comment` from a fork run the
 *   workflow files of the pull request's merge commit: the fork edits them (or adds new ones), so
 *   nothing written in them, an `if:` included, binds a fork.
 * - `pull_request_target` (since 2025-12-08 whatever the base branch), `issue_comment`, `issues`,
 *   `discussion`, `discussion_comment`, `workflow_run`, `fork`, `watch` run the default branch's
 *   copy, with this repository's token and cache scope: their jobs are ours, but the event's data
 *   (head SHA, branch, comment text, labels, a workflow_run's head) are the fork's.
 * - A fork's push runs workflows in the fork, on its own runners; `push`, `workflow_dispatch`,
 *   `schedule`, `repository_dispatch`, `merge_group`, `release`... here need write access.
 * - A runner group's "Selected workflows" grants its runners to jobs defined directly in the
 *   listed files at the listed ref, not to reusable workflows they call.
 */
import { parse } from 'yaml';
import { evaluate, runs } from './expressions.js';

type Copy = 'pull request' | 'default branch';
export const forkEvents: Record<string, Copy> = {
  pull_request: 'pull request',
  pull_request_review: 'pull request',
  pull_request_review_comment: 'pull request',
  pull_request_target: 'default branch',
  issue_comment: 'default branch',
  issues: 'default branch',
  discussion: 'default branch',
  discussion_comment: 'default branch',
  workflow_run: 'default branch',
  fork: 'default branch',
  watch: 'default branch',
};
// GitHub's default activity types where `types:` is left out.
const defaultTypes: Record<string, string[]> = {
  pull_request: ['opened', 'synchronize', 'reopened'],
  pull_request_target: ['opened', 'synchronize', 'reopened'],
  issue_comment: ['created', 'edited'],
  workflow_run: ['requested', 'completed'],
};

interface Step { uses?: string; run?: string; with?: Record<string, unknown> }
interface Job { if?: string; permissions?: string | Record<string, string>; needs?: string | string[]; 'runs-on'?: unknown; uses?: string; with?: Record<string, unknown>; outputs?: Record<string, string>; steps?: Step[]; strategy?: { matrix?: Record<string, unknown> } }
interface Workflow { on: string | string[] | Record<string, { types?: string[]; workflows?: string[] } | null>; permissions?: string | Record<string, string>; jobs: Record<string, Job> }

export interface WorkflowFile {
  /** `.github/workflows/<name>.yml` */
  path: string;
  text: string;
}

/** One way a fork's event starts a job: which copy of the file runs, and the labels it asks for. */
export interface Route {
  file: string;
  event: string;
  copy: Copy;
  job: string;
  /** The runners it asks for (labels joined by commas, or the workflow it calls) before any approval, over every payload the fork can send; empty: it never runs. */
  unapproved: string[];
  /** The same once the approval job approved a commit. */
  approved: string[];
}

const here = 'octo/ratchet';
const headSha = 'f0'.repeat(20); // the fork's head, named by the event
const approvedSha = 'a9'.repeat(20); // what the approval job approved (a commit the event did not name)
const mainSha = 'd1'.repeat(20);

const triggers = (on: Workflow['on']): Record<string, { types?: string[]; workflows?: string[] } | null> =>
  typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((name) => [name, null])) : on;
const needsOf = (job: Job) => [job.needs ?? []].flat();
/**
 * Every cell of a job's matrix (the cross product of its lists, then its `include` entries), each
 * a `matrix` context its `runs-on:` is evaluated in; one empty cell for a job without a matrix.
 */
function matrixCells(job: Job): Record<string, unknown>[] {
  const matrix = job.strategy?.matrix;
  if (!matrix || typeof matrix !== 'object') return [{}];
  const axes = Object.entries(matrix).filter(([key, values]) => key !== 'include' && key !== 'exclude' && Array.isArray(values)) as [string, unknown[]][];
  const cells = axes.reduce<Record<string, unknown>[]>((partial, [key, values]) => partial.flatMap((cell) => values.map((value) => ({ ...cell, [key]: value }))), [{}]);
  const included = Array.isArray(matrix.include) ? (matrix.include as Record<string, unknown>[]) : [];
  return [...(axes.length > 0 ? cells : []), ...included];
}
/** The string literals of a workflow's expressions (`if:` values and `${{ }}`): what its conditions compare event data with. */
function literalsOf(workflow: Workflow): string[] {
  const conditions = Object.values(workflow.jobs).flatMap((job) => [job.if ?? '', ...(job.steps ?? []).map((step) => (step as { if?: string }).if ?? '')]);
  const expressions = [...JSON.stringify(workflow).matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => m[1]!);
  const strings = [...conditions, ...expressions].flatMap((text) => [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'")));
  return [...new Set(strings.filter(Boolean))];
}

/** The event payloads a fork's author can send for `event`: every action, label and comment text the file tests for. */
function attackerEvents(event: string, trigger: { types?: string[]; workflows?: string[] } | null, literals: string[]): Record<string, unknown>[] {
  const sender = { login: 'stranger', type: 'User' };
  const pull = { number: 7, head: { sha: headSha, ref: 'stranger-branch', repo: { full_name: 'stranger/ratchet' } }, base: { sha: mainSha, ref: 'main', repo: { full_name: here } }, labels: literals.map((name) => ({ name })), user: sender, author_association: 'CONTRIBUTOR' };
  const actions = trigger?.types ?? defaultTypes[event] ?? [null];
  const payloads: Record<string, unknown>[] = [];
  for (const action of actions) {
    if (event.startsWith('pull_request')) {
      for (const label of action === 'labeled' ? literals : [null]) payloads.push({ action, pull_request: pull, sender, ...(label ? { label: { name: label } } : {}) });
    } else if (event === 'issue_comment' || event === 'discussion_comment') {
      for (const body of ['', ...literals, ...literals.map((text) => `${text} ${headSha}`)]) {
        payloads.push({ action, issue: { number: 7, pull_request: { url: 'pull/7' }, labels: pull.labels }, comment: { body, user: sender, author_association: 'CONTRIBUTOR' }, sender });
      }
    } else if (event === 'workflow_run') {
      for (const name of trigger?.workflows ?? ['any']) {
        payloads.push({ action, workflow_run: { name, event: 'pull_request', conclusion: 'success', id: 1, head_sha: headSha, head_branch: 'stranger-branch', head_repository: { full_name: 'stranger/ratchet' }, pull_requests: [] }, sender });
      }
    } else payloads.push({ action, sender });
  }
  return payloads;
}

/** A job that decides approval from the API and the event alone: only github-script steps, no checkout, no shell. */
const isApprovalJob = (job: Job) => (job.steps ?? []).length > 0 && job.steps!.every((step) => step.uses?.startsWith('actions/github-script@') && step.run === undefined);

/** Whether each job runs, and the `needs` context its successors see, in one event context. */
function decide(jobs: Record<string, Job>, github: Record<string, unknown>, approval: Record<string, string> | null) {
  const ran = new Map<string, boolean>();
  const needsContext = (job: Job) =>
    Object.fromEntries(needsOf(job).map((name) => {
      const outputs = Object.fromEntries(Object.keys(jobs[name]?.outputs ?? {}).map((key) => [key, isApprovalJob(jobs[name]!) ? (approval?.[key] ?? (approval ? 'true' : '')) : 'true']));
      return [name, { result: ran.get(name) ? 'success' : 'skipped', outputs }];
    }));
  const visit = (name: string): boolean => {
    if (ran.has(name)) return ran.get(name)!;
    const job = jobs[name]!;
    const needs = needsOf(job);
    const needed = needs.map(visit);
    const keepsGoing = /\b(always|failure|cancelled)\(\)/.test(job.if ?? '');
    ran.set(name, (keepsGoing || needed.every(Boolean)) && runs(job.if, { github, needs: needsContext(job) }));
    return ran.get(name)!;
  };
  Object.keys(jobs).forEach(visit);
  return { ran, needsContext };
}

const labelsOf = (runsOn: unknown, context: Record<string, unknown>): string[] => {
  const value = typeof runsOn === 'string' && runsOn.includes('${{') ? evaluate(runsOn, context) : runsOn;
  const list = value && typeof value === 'object' && !Array.isArray(value) ? (value as { labels?: unknown }).labels : value;
  return [list ?? []].flat().map(String);
};


/**
 * A called workflow's `inputs` as GitHub gives them: the caller's `with:` values, each expression
 * evaluated in the caller's context (a caller passing the event's head SHA passes the fork's commit).
 * One GitHub could not evaluate either (fromJSON of an output a skipped job left empty) stays as written.
 */
function callInputs(job: Job, context: Record<string, unknown>): Record<string, unknown> {
  const evaluated = (value: unknown) => {
    if (typeof value !== 'string' || !value.includes('${{')) return value;
    try {
      return evaluate(value, context);
    } catch {
      return value;
    }
  };
  return Object.fromEntries(Object.entries(job.with ?? {}).map(([name, value]) => [name, evaluated(value)]));
}

/** What a job checks out of whose code: null where it checks out only this repository's default branch. */
function checkedOut(steps: Step[], context: Record<string, unknown>): string | null {
  for (const step of steps) {
    if (step.uses?.startsWith('actions/checkout@')) {
      const ref = step.with?.ref === undefined ? '' : String(evaluate(String(step.with.ref), context) ?? '');
      const repository = step.with?.repository === undefined ? here : String(evaluate(String(step.with.repository), context) ?? '');
      if (repository.toLowerCase() !== here || ![`${''}`, mainSha, 'main', 'refs/heads/main'].includes(ref)) return `${repository}@${ref}`;
    }
    if (step.run && /git (fetch|pull|checkout)|gh pr checkout|refs\/pull\//.test(step.run)) return `what its run: step fetches (${step.run.split('\n')[0]})`;
  }
  return null;
}

/** What a job's token may write: every scope where permissions are left out (the repository default may be write-all), or `write-all`. */
function writeScopes(permissions: string | Record<string, string> | undefined): string[] {
  if (permissions === undefined || permissions === 'write-all') return ['everything the repository default grants'];
  if (typeof permissions === 'string') return [];
  return Object.entries(permissions).filter(([, level]) => level === 'write').map(([scope]) => scope);
}

interface Options { selfHosted: string[]; selectedWorkflows: string[]; approvals?: Record<string, string>[] }
type State = ReturnType<typeof decide>;

/** Labels a job may ask for, read without evaluating: every self-hosted label an expression mentions counts. */
const mentionedLabels = (runsOn: unknown, selfHosted: string[]) =>
  typeof runsOn === 'string' && runsOn.includes('${{') ? selfHosted.filter((label) => runsOn.includes(label)) : labelsOf(runsOn, {});

/** What a job of a default-branch workflow does with a fork's event, before or after an approval. */
function defaultBranchFindings(where: string, job: Job, called: Job[], context: Record<string, unknown>, approved: boolean, options: Options & { permissions: Workflow['permissions'] }): string[] {
  const findings: string[] = [];
  const selfHosted = (labels: string[]) => labels.some((label) => options.selfHosted.includes(label));
  for (const unit of [job, ...called]) {
    if (unit !== job && unit['runs-on'] !== undefined && selfHosted(labelsOf(unit['runs-on'], context))) findings.push(`${where}: calls ${job.uses}, whose jobs ask for a self-hosted runner: a runner group grants it to jobs defined in the selected workflow only`);
    const code = checkedOut(unit.steps ?? [], context);
    if (!code) continue;
    if (!approved) findings.push(`${where}: before any approval, checks out ${code}, not the default branch`);
    else if (code !== `${here}@${approvedSha}`) findings.push(`${where}: once approved, checks out ${code}, not the approved ${approvedSha.slice(0, 8)}…`);
    const writes = writeScopes(unit.permissions ?? options.permissions);
    if (writes.length > 0) findings.push(`${where}: runs the pull request's code (${code}) holding a token that writes ${writes.join(', ')}: post with another job`);
  }
  if (!approved && job['runs-on'] !== undefined && selfHosted(labelsOf(job['runs-on'], context))) {
    findings.push(`${where}: runs on a self-hosted runner (${labelsOf(job['runs-on'], context).join(', ')}) with no approval of the commit: the fork's event alone starts it`);
  }
  return findings;
}

/**
 * Every route a fork's event takes through `files` (which copy runs, which jobs start before and
 * after an approval, on which runners) and what breaks the rules: a self-hosted label in a file the
 * fork writes, or outside the runner groups' selected workflows; a default-branch job that reaches
 * a self-hosted runner or the PR's code before an approval, checks out anything but the approved
 * commit after one, or runs the PR's code holding a write token.
 */
export function forkReach(files: WorkflowFile[], options: Options) {
  const routes = new Map<string, Route>();
  const addRoute = (key: Omit<Route, 'unapproved' | 'approved'>, state: 'unapproved' | 'approved', runner: string | null) => {
    const id = JSON.stringify(key);
    if (!routes.has(id)) routes.set(id, { ...key, unapproved: [], approved: [] });
    const list = routes.get(id)![state];
    if (runner !== null && !list.includes(runner)) list.push(runner);
  };
  const findings: string[] = [];
  const parsed = new Map(files.map((file) => [file.path, parse(file.text) as Workflow]));
  const calledJobs = (job: Job) => (job.uses?.startsWith('./') ? Object.values(parsed.get(job.uses.slice(2))?.jobs ?? {}) : []);

  for (const [file, workflow] of parsed) {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const asks = mentionedLabels(job['runs-on'], options.selfHosted).filter((label) => options.selfHosted.includes(label));
      if (asks.length > 0 && !options.selectedWorkflows.includes(file)) findings.push(`${file}: job ${name} asks for a self-hosted runner, but the runner groups' selected workflows do not list ${file}: only jobs defined directly in a selected workflow get those runners`);
    }
    for (const [event, trigger] of Object.entries(triggers(workflow.on))) {
      const copy = forkEvents[event];
      if (!copy) continue;
      for (const payload of attackerEvents(event, trigger, literalsOf(workflow))) {
        const github = { event_name: event, repository: here, ref: copy === 'default branch' ? 'refs/heads/main' : 'refs/pull/7/merge', sha: mainSha, actor: 'stranger', triggering_actor: 'stranger', head_ref: 'stranger-branch', base_ref: 'main', event: payload };
        const unapproved = decide(workflow.jobs, github, null);
        for (const approval of options.approvals ?? [{}]) {
          const approved = decide(workflow.jobs, github, { ...approval, sha: approvedSha });
          for (const [name, job] of Object.entries(workflow.jobs)) {
            const where = `${file}: job ${name} on ${event}${payload.action ? ` (${String(payload.action)})` : ''}`;
            for (const [state, isApproved] of [[unapproved, false], [approved, true]] as [State, boolean][]) {
              // A matrix job is one job per cell, each asking for the labels its cell gives.
              for (const matrix of matrixCells(job)) {
                const caller = { github, needs: state.needsContext(job), matrix };
                const context = { ...caller, inputs: callInputs(job, caller) };
                const ran = state.ran.get(name)!;
                addRoute({ file, event, copy, job: name }, isApproved ? 'approved' : 'unapproved', !ran ? null : job.uses ? `calls ${job.uses}` : labelsOf(job['runs-on'], context).join(', '));
                if (copy === 'pull request') {
                  // The fork writes this file: whatever it asks for, it asks for whether or not this copy's `if:` holds.
                  if (mentionedLabels(job['runs-on'], options.selfHosted).some((label) => options.selfHosted.includes(label))) findings.push(`${where}: asks for a self-hosted runner in a file whose copy the fork writes (the pull request's), so no condition in it binds the fork`);
                } else if (ran) {
                  findings.push(...defaultBranchFindings(where, job, calledJobs(job), context, isApproved, { ...options, permissions: workflow.permissions }));
                }
              }
            }
          }
        }
      }
    }
  }
  return { routes: [...routes.values()], findings: [...new Set(findings)] };
}
