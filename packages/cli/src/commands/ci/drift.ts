import { readMoves } from '@ratchet/files';
import { createGitHubClient, keepIssue, type KeptIssue } from '@ratchet/ci';
import { detectDrift, projectOf, readRunHistory } from '@ratchet/history';
import { RatchetError } from '@ratchet/types';
import type { CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { historyDir, warnSkipped, type HistoryOptions } from '../../run-history.js';
import { driftIssue } from './drift-issue.js';

export interface DriftCommandOptions extends HistoryOptions {
  dryRun?: boolean;
}

/** owner/repo of the running workflow (GITHUB_REPOSITORY). */
function repositoryFromEnv(env: Record<string, string | undefined>): { owner: string; repo: string } {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new RatchetError('ERR_RATCHET_USAGE', 'GITHUB_REPOSITORY is not set (owner/repo): not running in GitHub Actions? (--dry-run prints the issues instead)');
  return { owner, repo };
}

/**
 * `ratchet ci --drift`: after a run on main, the run history checked for drift on each device
 * (history's drift.ts), and one GitHub issue per device opened, updated, or closed once it
 * recovered. Informational: it exits 0 whatever it finds (the run itself judged the commit), 3
 * when GitHub refuses.
 */
export async function driftCommand(options: DriftCommandOptions, context: CommandContext, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { paths, thresholds } = context.loaded.config;
  const history = await readRunHistory(historyDir(options, context), { project: projectOf(context.cwd), missingOk: true });
  warnSkipped(history.skipped, context);
  // The baseline's moves log (paths.moves): a benchmark's series starts again after an accepted figure.
  const accepted = await readMoves(paths.moves);
  const drifts = detectDrift(history.records, { regressionPct: thresholds.regressionPct, runToRunPct: thresholds.runToRunPct ?? 1, accepted });
  const issues: KeptIssue[] = drifts.map((drift) => driftIssue(drift, thresholds));
  const { output } = context;
  if (drifts.length === 0 && !output.json) output.out('drift: no run on main in the history yet: nothing to check');
  if (options.dryRun) {
    if (output.json) output.out(JSON.stringify(drifts.map((drift, i) => ({ deviceKey: drift.deviceKey, findings: drift.findings, issue: issues[i] })), null, 2));
    else for (const [i, drift] of drifts.entries()) output.out(issues[i]!.body ?? `drift: none on ${drift.deviceName} [${drift.deviceKey}]: its issue, if open, would be closed`);
    return exitCodes.ok;
  }
  const token = env.GITHUB_TOKEN;
  if (!token) throw new RatchetError('ERR_RATCHET_GITHUB', 'GITHUB_TOKEN is not set: pass it to the step (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}, with permissions: issues: write) or use --dry-run');
  const repository = repositoryFromEnv(env);
  const client = createGitHubClient({ token, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
  const outcomes = [];
  for (const [i, drift] of drifts.entries()) {
    const outcome = await keepIssue(client, repository, issues[i]!);
    outcomes.push({ deviceKey: drift.deviceKey, ...outcome });
    if (output.json || output.quiet) continue;
    output.out(outcome.action === 'none' ? `drift: none on ${drift.deviceName} [${drift.deviceKey}]` : `drift issue ${outcome.action} for ${drift.deviceName} [${drift.deviceKey}]: ${outcome.url}`);
  }
  if (output.json) output.out(JSON.stringify(outcomes, null, 2));
  return exitCodes.ok;
}
