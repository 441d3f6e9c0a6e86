import { readRunResult } from '@ratchet/files';
import { gate } from '@ratchet/baseline';
import { renderMarkdown, renderMergedMarkdown } from '@ratchet/report';
import { createGitHubClient, githubContextFromEnv, runCi } from '@ratchet/ci';
import { RatchetError, isRatchetError, type Comparison, type MergedComparisons } from '@ratchet/types';
import { resolve } from 'node:path';
import type { CommandContext } from '../../context.js';
import { exitCodeFor, exitCodes } from '../../exit-codes.js';
import { combined, mergedGate, readJudged } from '../../judging/merged-file.js';
import { printComparison } from '../../output.js';
import { reportOptions, savedReportOptions, type HistoryOptions } from '../../run-history.js';

export interface CiCommandOptions extends HistoryOptions {
  comparison?: string;
  artifactUrl?: string;
  dryRun?: boolean;
  pr?: string;
  gpuCostPerHour?: string;
}

/** What goes onto GitHub: the counts the outputs say, the comment's text, and the exit status. */
interface Posting {
  /** What the step outputs count (a merge: every device's results together). */
  comparison: Comparison;
  markdown: string;
  verdictExit: number;
  gpuMs?: number;
}

/** One comparison (`run`, `compare`): its report, its gate; the GPU time of its results file for the cost line. */
async function onePosting(comparison: Comparison, options: CiCommandOptions, context: CommandContext, costPerHour: number | undefined): Promise<Posting> {
  const { paths } = context.loaded.config;
  const gpuMs = costPerHour === undefined ? undefined : (await readRunResult(paths.results)).measurements.reduce((total, m) => total + m.samplesMs.reduce((a, b) => a + b, 0), 0);
  if (!context.output.json) printComparison({ ...context.output, quiet: true }, comparison, null);
  // Trends and the dashboard link from the run history; what happened to the baseline, from the baseline file (issue 14).
  const report = await savedReportOptions(comparison, options, context);
  const markdown = renderMarkdown(comparison, { ...report, ...(options.artifactUrl ? { artifactUrl: options.artifactUrl } : {}) });
  return { comparison, markdown, verdictExit: gate(comparison).passed ? exitCodes.ok : exitCodes.regression, ...(gpuMs === undefined ? {} : { gpuMs }) };
}

/** A merge (`ratchet merge`: shards and devices of one commit): one comment with a section per device, failing when any device fails. */
async function mergedPosting(merged: MergedComparisons, options: CiCommandOptions, context: CommandContext): Promise<Posting> {
  const trends = new Map(await Promise.all(merged.comparisons.map(async (c) =>
    [c.device.deviceKey, await reportOptions({ deviceKey: c.device.deviceKey, ids: c.results.map((r) => r.id) }, c.relative ? 'kept' : undefined, options, context)] as const)));
  const markdown = renderMergedMarkdown(merged, options.artifactUrl ? { artifactUrl: options.artifactUrl } : {}, (key) => trends.get(key) ?? {});
  const verdict = mergedGate(merged);
  if (!context.output.json) for (const comparison of merged.comparisons) printComparison({ ...context.output, quiet: true }, comparison, null);
  return { comparison: combined(merged), markdown, verdictExit: verdict.passed ? exitCodes.ok : exitCodes.regression };
}

/**
 * `ratchet ci`: the saved comparison (or a merge of several) onto GitHub (sticky PR comment, job
 * summary, outputs). The verdict is printed first and decides the exit status; a GitHub failure
 * is reported after it and never turns a regression into a pass.
 */
export async function ciCommand(options: CiCommandOptions, context: CommandContext, env = process.env): Promise<number> {
  const { paths } = context.loaded.config;
  const judged = await readJudged(options.comparison ? resolve(context.cwd, options.comparison) : paths.comparison);
  const costPerHour = options.gpuCostPerHour === undefined ? undefined : Number(options.gpuCostPerHour);
  if (costPerHour !== undefined && !(costPerHour >= 0)) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--gpu-cost-per-hour: expected dollars >= 0 but received '${options.gpuCostPerHour}'`);
  }
  const posting = judged.kind === 'merged' ? await mergedPosting(judged.merged, options, context) : await onePosting(judged.comparison, options, context, costPerHour);
  const { comparison, markdown, verdictExit, gpuMs } = posting;
  const { output } = context;
  // --json: one object on stdout with the verdict and what was (or, on --dry-run, would be) posted.
  const printJson = (result: { body: string; comment: unknown; summaryWritten: boolean }, dryRun: boolean) =>
    output.out(JSON.stringify({ dryRun, verdict: verdictExit === exitCodes.ok ? 'ok' : comparison.counts.regression > 0 ? 'regression' : 'invalid', regressions: comparison.counts.regression, invalid: comparison.counts.invalid, improvements: comparison.counts.improvement, comment: result.comment, summaryWritten: result.summaryWritten, body: result.body }, null, 2));
  const common = {
    comparison, markdown, env,
    ...(options.artifactUrl ? { artifactUrl: options.artifactUrl } : {}),
    ...(gpuMs !== undefined && costPerHour !== undefined ? { gpuMs, costPerHour } : {}),
  };
  if (options.dryRun) {
    const result = await runCi({ ...common, dryRun: true });
    if (output.json) printJson(result, true);
    else output.out(result.body.trimEnd());
    return verdictExit;
  }
  try {
    const token = env.GITHUB_TOKEN;
    if (!token) throw new RatchetError('ERR_RATCHET_GITHUB', 'GITHUB_TOKEN is not set: pass it to the step (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) or use --dry-run');
    const context_ = githubContextFromEnv(env);
    const pr = options.pr === undefined ? context_ : { ...context_, issueNumber: Number(options.pr) };
    const client = createGitHubClient({ token, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
    const result = await runCi({ ...common, dryRun: false, client, pr });
    if (output.json) printJson(result, false);
    else if (result.comment && !output.quiet) output.out(`PR comment ${result.comment.action}: ${result.comment.url}`);
    return verdictExit;
  } catch (error) {
    if (!isRatchetError(error)) throw error;
    output.err(output.json ? JSON.stringify({ error: { code: error.code, message: error.message, exitCode: exitCodeFor(error.code) } }) : `ratchet: ${error.message}`);
    return verdictExit === exitCodes.regression ? verdictExit : exitCodeFor(error.code);
  }
}
