import { appendFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RatchetError } from '@ratchet/types';
import type { PullRequestRef } from './comment.js';

type Env = Record<string, string | undefined>;

/** Appends markdown to the job summary ($GITHUB_STEP_SUMMARY); false outside Actions. */
export async function writeStepSummary(markdown: string, env: Env = process.env): Promise<boolean> {
  if (!env.GITHUB_STEP_SUMMARY) return false;
  await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown.trimEnd()}\n`, 'utf8');
  return true;
}

/** Appends step outputs to $GITHUB_OUTPUT, multi-line values with a random heredoc delimiter. */
export async function writeOutputs(outputs: Record<string, string | number>, env: Env = process.env): Promise<boolean> {
  if (!env.GITHUB_OUTPUT) return false;
  const lines = Object.entries(outputs).map(([name, raw]) => {
    const value = String(raw);
    if (!value.includes('\n')) return `${name}=${value}\n`;
    const delimiter = `ratchet_${randomBytes(8).toString('hex')}`;
    return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  });
  await appendFile(env.GITHUB_OUTPUT, lines.join(''), 'utf8');
  return true;
}

/** owner/repo and the PR number of the running workflow, from the Actions environment. */
export function githubContextFromEnv(env: Env = process.env): PullRequestRef {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new RatchetError('ERR_RATCHET_USAGE', 'GITHUB_REPOSITORY is not set (owner/repo): not running in GitHub Actions?');
  let issueNumber = Number(/^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '')?.[1]);
  if (!Number.isInteger(issueNumber) && env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number?: number }; number?: number };
      issueNumber = Number(event.pull_request?.number ?? event.number);
    } catch {
      // fall through to the error below
    }
  }
  if (!Number.isInteger(issueNumber) || issueNumber < 1) {
    throw new RatchetError('ERR_RATCHET_USAGE', 'not a pull-request event: no PR number in GITHUB_REF or the event payload (pass --pr)');
  }
  return { owner, repo, issueNumber };
}

/** GPU time a run used and what it cost, as the reference document reported per PR. */
export function gpuCost(options: { gpuMs: number; costPerHour: number }): { gpuSeconds: number; dollars: number } {
  const gpuSeconds = options.gpuMs / 1e3;
  return { gpuSeconds, dollars: (gpuSeconds / 3600) * options.costPerHour };
}
