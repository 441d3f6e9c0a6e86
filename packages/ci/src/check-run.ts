// A GitHub Check run for a judged comparison: its conclusion from the gate, the report as its
// text, and an annotation per benchmark that needs a look (each regression a failure, each
// invalid kernel a failure, each inconclusive one slower past the threshold a warning), beside the
// sticky comment, as Bencher and CodSpeed show theirs.
import { gate } from '@ratchet/baseline';
import type { BenchmarkComparison, Comparison } from '@ratchet/types';
import type { GitHubClient } from './client.js';
import { gitHubError } from './errors.js';

/** GitHub takes at most this many annotations per request (more go in updates of the run). */
export const annotationsPerRequest = 50;
/** GitHub cuts a check run's summary and text at 65,535 characters. */
const maxCheckText = 65_535;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

/** Where a benchmark's annotation goes: the file its harness names (pytest's test file), else the file the caller gives. */
export type AnnotationPath = (result: BenchmarkComparison) => string;

function level(result: BenchmarkComparison, comparison: Comparison): CheckAnnotation['annotation_level'] | null {
  if (result.verdict === 'regression' || result.verdict === 'invalid') return 'failure';
  if (result.verdict === 'inconclusive' && (result.changePct ?? 0) > comparison.thresholds.regressionPct) return 'warning';
  return null;
}

/** One annotation per benchmark to look at, on line 1 of the file `pathOf` names for it. */
export function annotationsFor(comparison: Comparison, pathOf: AnnotationPath): CheckAnnotation[] {
  const annotations: CheckAnnotation[] = [];
  for (const result of comparison.results) {
    const annotationLevel = level(result, comparison);
    if (!annotationLevel) continue;
    const change = result.changePct === null ? '' : ` ${result.changePct >= 0 ? '+' : ''}${result.changePct.toFixed(1)}%`;
    annotations.push({
      path: pathOf(result), start_line: 1, end_line: 1, annotation_level: annotationLevel,
      title: `${result.verdict}${change}: ${result.id}`.slice(0, 255),
      message: result.reason.slice(0, 64_000) || result.verdict,
    });
  }
  return annotations;
}

export interface CheckRunOptions {
  owner: string;
  repo: string;
  /** The commit the run is about (the pull request's head). */
  headSha: string;
  /** The check's name in the pull request's list (default `ratchet`). */
  name?: string;
  comparison: Comparison;
  markdown: string;
  annotations: CheckAnnotation[];
}

/** The one-line title of the check: the verdict counts, as the comment's first line says them. */
export function checkTitle(comparison: Comparison): string {
  const { counts } = comparison;
  const lead = counts.regression > 0 ? `${counts.regression} regression${counts.regression === 1 ? '' : 's'}` : counts.invalid > 0 ? `${counts.invalid} invalid` : 'no regressions';
  return `${lead} in ${comparison.results.length} benchmark${comparison.results.length === 1 ? '' : 's'}`;
}

/**
 * Creates the check run (completed, its conclusion from the gate) with the first 50 annotations,
 * then adds the rest 50 at a time, as GitHub requires.
 */
export async function createCheckRun(client: GitHubClient, options: CheckRunOptions): Promise<{ id: number; url: string; annotations: number }> {
  const conclusion = gate(options.comparison).passed ? 'success' : 'failure';
  const title = checkTitle(options.comparison);
  const output = (annotations: CheckAnnotation[]) => ({ title, summary: title, text: options.markdown.slice(0, maxCheckText), annotations });
  const [first, ...rest] = chunks(options.annotations, annotationsPerRequest);
  try {
    const { data } = await client.rest.checks.create({
      owner: options.owner, repo: options.repo, head_sha: options.headSha, name: options.name ?? 'ratchet', status: 'completed', conclusion,
      output: output(first ?? []),
    });
    for (const more of rest) await client.rest.checks.update({ owner: options.owner, repo: options.repo, check_run_id: data.id, output: output(more) });
    return { id: data.id, url: data.html_url ?? '', annotations: options.annotations.length };
  } catch (error) {
    throw gitHubError('create the check run', error, 'checks: write');
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The open pull request whose head is `sha`, asked of GitHub: what a workflow that posts for a run
 * of untrusted code (workflow_run) trusts, instead of a number the run itself wrote.
 */
export async function pullRequestForCommit(client: GitHubClient, owner: string, repo: string, sha: string): Promise<number | null> {
  try {
    const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
    const open = data.find((pull) => pull.state === 'open' && pull.head.sha === sha);
    return open?.number ?? null;
  } catch (error) {
    throw gitHubError(`find the pull request of ${sha.slice(0, 12)}`, error, 'pull-requests: read');
  }
}
