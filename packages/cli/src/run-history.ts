// The run history (issue 14, docs/dashboard.md) as the commands use it: where it is, whether
// this run is appended, and what the report takes from it. Kept out of the commands so that
// run/bench/ci each call it from one marked place.
import { dirname, join, resolve } from 'node:path';
import { assertWritable, readBaseline } from '@ratchet/files';
import type { MarkdownOptions } from '@ratchet/report';
import {
  appendRunRecord,
  assertAppendable,
  historyRecordFor,
  manifestFileName,
  pagesUrl,
  projectOf,
  readRunHistory,
  recentMedians,
  type RunHistory,
  type SkippedLine,
} from '@ratchet/history';
import { isRatchetError, type Baseline, type Comparison, type RunResult, type SotaTable } from '@ratchet/types';
import { displayPath, type CommandContext } from './context.js';
import { gitInfo } from './git.js';

/** `--history <dir>` (run, ci, dashboard), `--history [dir]` (bench: true when bare), `--no-history` (false). */
export interface HistoryOptions {
  history?: string | boolean;
  dashboardUrl?: string;
}

/** Runs on these branches are appended by default: the history is of main's figures. */
export const mainBranches = ['main', 'master'];

/** How many runs a PR report's sparkline draws. */
const trendRuns = 20;

/** `--history <dir>`, else `runs/` beside the moves log (`.ratchet/runs`). */
export function historyDir(options: HistoryOptions, context: CommandContext): string {
  return typeof options.history === 'string' ? resolve(context.cwd, options.history) : join(dirname(context.loaded.config.paths.moves), 'runs');
}

/** Every line the reader skipped, one warning each: reported, never dropped unsaid. */
export function warnSkipped(skipped: readonly SkippedLine[], context: CommandContext): void {
  for (const line of skipped) {
    context.output.err(context.output.color.yellow(`warning: ${displayPath(line.file, context.cwd)}:${line.line}: ${line.reason} (line skipped)`));
  }
}

export interface HistoryPlan {
  dir: string;
  project: string | null;
}

/**
 * Before anything is measured: whether this run goes into the history, and a refusal now (not
 * after minutes of GPU time) when it could not. `run` appends on main or where --history says;
 * `bench` only with --history. Null: not appended.
 */
export async function planHistory(command: 'run' | 'bench', options: HistoryOptions, context: CommandContext): Promise<HistoryPlan | null> {
  if (options.history === false) return null;
  const onMain = mainBranches.includes(gitInfo(context.cwd)?.branch ?? '');
  const append = command === 'bench' ? options.history !== undefined : typeof options.history === 'string' || onMain;
  if (!append) return null;
  const plan = { dir: historyDir(options, context), project: projectOf(context.cwd) };
  await assertWritable([join(plan.dir, manifestFileName)]);
  await assertAppendable(plan.dir, plan.project);
  return plan;
}

/** Appends the run (with its verdicts and peers, when it has them) and says where. */
export async function recordRun(plan: HistoryPlan | null, result: RunResult, comparison: Comparison | null, sota: SotaTable | null, context: CommandContext): Promise<void> {
  if (!plan) return;
  const record = historyRecordFor(result, comparison, { project: plan.project, sota });
  const shard = await appendRunRecord(plan.dir, record);
  if (!context.output.quiet && !context.output.json) context.output.out(`history: run appended to ${displayPath(shard, context.cwd)}`);
}

/** The history for a report: a history that cannot be read costs the trends, not the verdict. */
async function historyForReport(options: HistoryOptions, context: CommandContext): Promise<RunHistory | null> {
  try {
    const history = await readRunHistory(historyDir(options, context), { project: projectOf(context.cwd), missingOk: true });
    warnSkipped(history.skipped, context);
    return history;
  } catch (error) {
    if (!isRatchetError(error)) throw error;
    context.output.err(context.output.color.yellow(`warning: ${error.message} (the report goes without trends)`));
    return null;
  }
}

/**
 * What the PR report takes from outside the comparison: what happened to the baseline, the
 * recent medians of each benchmark from the history, and the dashboard's address (--dashboard-url,
 * else the GitHub Pages site of a project that keeps a history, which ratchet.yml publishes).
 */
export async function reportOptions(
  run: { deviceKey: string; ids: readonly string[] },
  baseline: MarkdownOptions['baseline'],
  options: HistoryOptions,
  context: CommandContext,
): Promise<MarkdownOptions> {
  const report: MarkdownOptions = baseline ? { baseline } : {};
  if (options.dashboardUrl) report.dashboardUrl = options.dashboardUrl;
  if (options.history === false) return report;
  const history = await historyForReport(options, context);
  if (!history || history.records.length === 0) return report;
  report.trends = recentMedians(history.records, run.deviceKey, run.ids, trendRuns);
  const pages = pagesUrl(history.project);
  if (!report.dashboardUrl && pages) report.dashboardUrl = pages;
  return report;
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
  const held = moved.filter((r) => entries[r.id]?.summary?.median === r.current!.median).length;
  return held === moved.length ? 'updated' : held === 0 ? 'kept' : undefined;
}

/** The report options of a saved comparison rendered again (`ratchet ci`, `ratchet report`): as the run that wrote it rendered it. */
export async function savedReportOptions(comparison: Comparison, options: HistoryOptions, context: CommandContext): Promise<MarkdownOptions> {
  const baseline = await readBaseline(context.loaded.config.paths.baseline).catch(() => null);
  return reportOptions({ deviceKey: comparison.device.deviceKey, ids: comparison.results.map((r) => r.id) }, baselineState(comparison, baseline), options, context);
}
