import { readBaseline, readComparison, readRunResult, renderMarkdown, type Baseline, type Comparison, type MarkdownOptions } from '@ratchet/core';
import { createGitHubClient, githubContextFromEnv, runCi } from '@ratchet/ci';
import { RatchetError, isRatchetError } from '@ratchet/types';
import { resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { exitCodeFor, exitCodes } from '../exit-codes.js';
import { printComparison } from '../output.js';
import { reportOptions, type HistoryOptions } from '../run-history.js';

export interface CiCommandOptions extends HistoryOptions {
  comparison?: string;
  artifactUrl?: string;
  dryRun?: boolean;
  pr?: string;
  gpuCostPerHour?: string;
}

/**
 * `ratchet ci`: the saved comparison onto GitHub (sticky PR comment, job summary, outputs). The
 * verdict is printed first and decides the exit status; a GitHub failure is reported after it
 * and never turns a regression into a pass.
 */
export async function ciCommand(options: CiCommandOptions, context: CommandContext, env = process.env): Promise<number> {
  const { paths } = context.loaded.config;
  const comparison = await readComparison(options.comparison ? resolve(context.cwd, options.comparison) : paths.comparison);
  const costPerHour = options.gpuCostPerHour === undefined ? undefined : Number(options.gpuCostPerHour);
  if (costPerHour !== undefined && !(costPerHour >= 0)) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--gpu-cost-per-hour: expected dollars >= 0 but received '${options.gpuCostPerHour}'`);
  }
  const gpuMs = costPerHour === undefined ? undefined : (await readRunResult(paths.results)).measurements.reduce((total, m) => total + m.samplesMs.reduce((a, b) => a + b, 0), 0);
  const verdictExit = comparison.counts.regression + comparison.counts.invalid > 0 ? exitCodes.regression : exitCodes.ok;
  printComparison({ ...context.output, quiet: true }, comparison, null);

  // Trends and the dashboard link from the run history; what happened to the baseline, from the baseline file (issue 14).
  const report = await reportOptions({ deviceKey: comparison.device.deviceKey, ids: comparison.results.map((r) => r.id) }, baselineState(comparison, await readBaseline(paths.baseline).catch(() => null)), options, context);
  const markdown = renderMarkdown(comparison, { ...report, ...(options.artifactUrl ? { artifactUrl: options.artifactUrl } : {}) });
  const common = {
    comparison, markdown, env,
    ...(options.artifactUrl ? { artifactUrl: options.artifactUrl } : {}),
    ...(gpuMs !== undefined && costPerHour !== undefined ? { gpuMs, costPerHour } : {}),
  };
  if (options.dryRun) {
    const result = await runCi({ ...common, dryRun: true });
    context.output.out(result.body.trimEnd());
    return verdictExit;
  }
  try {
    const token = env.GITHUB_TOKEN;
    if (!token) throw new RatchetError('ERR_RATCHET_GITHUB', 'GITHUB_TOKEN is not set: pass it to the step (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) or use --dry-run');
    const context_ = githubContextFromEnv(env);
    const pr = options.pr === undefined ? context_ : { ...context_, issueNumber: Number(options.pr) };
    const client = createGitHubClient({ token, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
    const result = await runCi({ ...common, dryRun: false, client, pr });
    if (result.comment && !context.output.quiet) context.output.out(`PR comment ${result.comment.action}: ${result.comment.url}`);
    return verdictExit;
  } catch (error) {
    if (!isRatchetError(error)) throw error;
    context.output.err(`ratchet: ${error.message}`);
    return verdictExit === exitCodes.regression ? verdictExit : exitCodeFor(error.code);
  }
}

/**
 * What the run behind a saved comparison did to the baseline, read from the baseline file: `updated`
 * when it holds every improved or new figure, `kept` when it holds none (a judge-only run);
 * unknown when there is nothing to tell by or the file disagrees with itself.
 */
export function baselineState(comparison: Comparison, baseline: Baseline | null): MarkdownOptions['baseline'] {
  if (comparison.relative) return 'kept';
  const moved = comparison.results.filter((r) => (r.verdict === 'improvement' || r.verdict === 'new') && r.current);
  if (moved.length === 0) return undefined;
  const entries = baseline?.devices[comparison.device.deviceKey]?.benchmarks ?? {};
  const held = moved.filter((r) => entries[r.id]?.summary.median === r.current!.median).length;
  return held === moved.length ? 'updated' : held === 0 ? 'kept' : undefined;
}
