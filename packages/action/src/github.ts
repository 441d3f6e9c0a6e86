// What the action leaves on GitHub for a judged comparison: the job summary, the step outputs, the
// sticky comment (by its own author, @ratchet/ci) and a Check run with annotations. The verdict is
// decided before any of it, so a GitHub failure never changes it.
import { readFileSync } from 'node:fs';
import {
  annotationsFor,
  createCheckRun,
  createGitHubClient,
  gpuCost,
  pullRequestForCommit,
  upsertStickyComment,
  writeOutputs,
  writeStepSummary,
  type AnnotationPath,
  type GitHubClient,
} from '@ratchet/ci';
import { gate } from '@ratchet/baseline';
import { RatchetError, type BenchmarkComparison, type Comparison } from '@ratchet/types';
import type { ActionInputs, Env } from './inputs.js';

/** The event that started the workflow, as GitHub wrote it to GITHUB_EVENT_PATH. */
export interface GitHubEvent {
  pull_request?: { number: number; head: { sha: string; repo: { full_name: string } | null } };
  workflow_run?: { head_sha: string; path?: string; head_branch?: string; head_repository?: { owner: { login: string } } };
}

export function readEvent(env: Env): GitHubEvent {
  if (!env.GITHUB_EVENT_PATH) return {};
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as GitHubEvent;
  } catch {
    return {};
  }
}

export function repository(env: Env): { owner: string; repo: string } {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new RatchetError('ERR_RATCHET_USAGE', 'GITHUB_REPOSITORY is not set (owner/repo): not running in GitHub Actions?');
  return { owner, repo };
}

/** The verdict as the step outputs and the exit status say it. */
export function verdictOf(comparison: Comparison): 'regression' | 'invalid' | 'ok' {
  return comparison.counts.regression > 0 ? 'regression' : gate(comparison).passed ? 'ok' : 'invalid';
}

export function costLine(inputs: ActionInputs, harnessMs: number | null): string {
  if (inputs.gpuCostPerHour === null || harnessMs === null) return '';
  const { gpuSeconds, dollars } = gpuCost({ gpuMs: harnessMs, costPerHour: inputs.gpuCostPerHour });
  return `\n_Runner time of the harness ${gpuSeconds.toFixed(1)} s, about $${dollars.toFixed(4)} at $${inputs.gpuCostPerHour}/h._\n`;
}

/**
 * Where an annotation of a benchmark goes: the test file its harness names (pytest's
 * `tests/test_x.py::test_y`), else `fallback` (the workflow file, or the input annotation-path).
 */
export function annotationPaths(fallback: string): AnnotationPath {
  return (result: BenchmarkComparison) => {
    const name = result.harnessName ?? '';
    const file = /^([^\s:]+\.py)::/.exec(name)?.[1];
    return file ?? fallback;
  };
}

/** The workflow file that ran (GITHUB_WORKFLOW_REF: owner/repo/.github/workflows/x.yml@ref), for annotations with no file of their own. */
export function workflowFile(env: Env, event: GitHubEvent): string {
  const fromRef = /^[^/]+\/[^/]+\/(.+?)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1];
  return event.workflow_run?.path ?? fromRef ?? '.github/workflows';
}

export interface Publication {
  comparison: Comparison;
  markdown: string;
  /** The pull request to comment on; null: none (a push, or not found). */
  pr: number | null;
  /** The commit the check run is about; null: no check run. */
  headSha: string | null;
  annotationPath: AnnotationPath;
  harnessMs: number | null;
  /** Why nothing is posted to GitHub (a fork's read-only token); null: post what the inputs ask. */
  noPost: string | null;
}

export interface Published {
  commentUrl: string | null;
  checkUrl: string | null;
  /** GitHub failures, each one line: reported, never hiding the verdict. */
  failures: string[];
}

/** Summary and outputs always; comment and check where asked for and allowed. */
export async function publish(inputs: ActionInputs, env: Env, publication: Publication, log: (line: string) => void): Promise<Published> {
  const body = `${publication.markdown.trimEnd()}\n${costLine(inputs, publication.harnessMs)}`;
  await writeStepSummary(body, env);
  const published: Published = { commentUrl: null, checkUrl: null, failures: [] };
  const wantsGitHub = inputs.comment || inputs.check;
  if (wantsGitHub && publication.noPost) log(`::notice::${publication.noPost}`);
  if (wantsGitHub && !publication.noPost) {
    if (!inputs.token) published.failures.push('no github-token: nothing posted (the input defaults to the workflow token)');
    else {
      const client = createGitHubClient({ token: inputs.token, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
      await post(client, inputs, env, publication, body, published);
    }
  }
  const { counts } = publication.comparison;
  await writeOutputs({
    verdict: verdictOf(publication.comparison), regressions: counts.regression, improvements: counts.improvement, invalid: counts.invalid,
    inconclusive: counts.inconclusive, 'comment-url': published.commentUrl ?? '', 'check-url': published.checkUrl ?? '',
  }, env);
  return published;
}

async function post(client: GitHubClient, inputs: ActionInputs, env: Env, publication: Publication, body: string, published: Published): Promise<void> {
  const { owner, repo } = repository(env);
  const attempt = async (what: () => Promise<void>) => {
    try {
      await what();
    } catch (error) {
      published.failures.push((error as Error).message);
    }
  };
  if (inputs.comment && publication.pr !== null) {
    await attempt(async () => {
      const comment = await upsertStickyComment(client, { owner, repo, issueNumber: publication.pr! }, body);
      published.commentUrl = comment.url;
    });
  }
  if (inputs.check && publication.headSha) {
    await attempt(async () => {
      const annotations = annotationsFor(publication.comparison, publication.annotationPath);
      const run = await createCheckRun(client, { owner, repo, headSha: publication.headSha!, name: inputs.checkName, comparison: publication.comparison, markdown: body, annotations });
      published.checkUrl = run.url;
    });
  }
}

/**
 * The pull request a workflow_run's head belongs to, asked of GitHub (a number in the artifact is
 * the fork's to write): by the commit, else by the head branch's open pull request with that head.
 */
export async function pullRequestOfRun(client: GitHubClient, env: Env, event: GitHubEvent, headSha: string): Promise<number | null> {
  const { owner, repo } = repository(env);
  const found = await pullRequestForCommit(client, owner, repo, headSha);
  if (found !== null) return found;
  const run = event.workflow_run;
  if (!run?.head_branch || !run.head_repository) return null;
  const { data } = await client.rest.pulls.list({ owner, repo, state: 'open', head: `${run.head_repository.owner.login}:${run.head_branch}` });
  return data.find((pull) => pull.head.sha === headSha)?.number ?? null;
}

export { createGitHubClient };
