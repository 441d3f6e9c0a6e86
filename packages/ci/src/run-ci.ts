import { gate } from '@ratchet/baseline';
import type { Comparison } from '@ratchet/types';
import type { GitHubClient } from './client.js';
import { upsertStickyComment, truncateComment, type PullRequestRef, type StickyComment } from './comment.js';
import { gpuCost, writeOutputs, writeStepSummary } from './actions.js';

export interface CiOptions {
  comparison: Comparison;
  /** The report, rendered with @ratchet/report (names already escaped). */
  markdown: string;
  /** Where the full report is kept (the workflow's artifact), linked when the comment is cut. */
  artifactUrl?: string;
  /** Print what would be posted; touch no network and no file. */
  dryRun: boolean;
  /** Needed unless dryRun. */
  client?: GitHubClient;
  pr?: PullRequestRef;
  /** GPU kernel time of the run, ms, and the instance's price, for the cost line. */
  gpuMs?: number;
  costPerHour?: number;
  env?: Record<string, string | undefined>;
}

export interface CiResult {
  /** The verdict of the comparison, decided before and independently of any GitHub call. */
  regressions: number;
  improvements: number;
  body: string;
  comment: (StickyComment & { action: 'created' | 'updated' }) | null;
  summaryWritten: boolean;
}

function costLine(options: CiOptions): string {
  if (options.gpuMs === undefined || options.costPerHour === undefined) return '';
  const { gpuSeconds, dollars } = gpuCost({ gpuMs: options.gpuMs, costPerHour: options.costPerHour });
  return `\n_GPU kernel time ${gpuSeconds.toFixed(1)} s, about $${dollars.toFixed(4)} at $${options.costPerHour}/h._\n`;
}

/**
 * What `ratchet ci` does on GitHub: the sticky PR comment, the job summary and the step outputs
 * (`regressions`, `improvements`, `verdict`). The verdict comes from the comparison alone, so a
 * GitHub failure (thrown as ERR_RATCHET_GITHUB) never hides or changes it.
 */
export async function runCi(options: CiOptions): Promise<CiResult> {
  const { counts } = options.comparison;
  const body = truncateComment(`${options.markdown.trimEnd()}\n${costLine(options)}`, { artifactUrl: options.artifactUrl });
  const result: CiResult = { regressions: counts.regression, improvements: counts.improvement, body, comment: null, summaryWritten: false };
  if (options.dryRun) return result;
  const env = options.env ?? process.env;
  result.summaryWritten = await writeStepSummary(body, env);
  // The step output says what the exit status says: a kernel that failed its check fails too.
  const verdict = counts.regression > 0 ? 'regression' : gate(options.comparison).passed ? 'ok' : 'invalid';
  await writeOutputs({ regressions: counts.regression, improvements: counts.improvement, invalid: counts.invalid, verdict }, env);
  if (!options.client || !options.pr) return result;
  result.comment = await upsertStickyComment(options.client, options.pr, body, options.artifactUrl === undefined ? {} : { artifactUrl: options.artifactUrl });
  return result;
}
