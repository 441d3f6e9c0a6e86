import { basename, dirname, join, resolve } from 'node:path';
import { digestBaseline, ratchet } from '@ratchet/baseline';
import { mergeShards, type ShardFiles } from '@ratchet/core';
import { baselineJson, movesWithEvents, pathKind, readBaseline, readComparison, readRunResult } from '@ratchet/files';
import { renderMergedMarkdown } from '@ratchet/report';
import { RatchetError, type Baseline, type MergedComparisons, type MoveEvent, type RunResult } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { migrationNote } from '../../judging/digest-note.js';
import { checkedMoves } from '../../judging/judgement.js';
import { mergedGate, mergedJson } from '../../judging/merged-file.js';
import { baselineAgainst } from '../../measuring/shards.js';
import { planHistory, recordRun, reportOptions, type HistoryOptions } from '../../run-history.js';
import { withWrites } from '../../writes.js';

export interface MergeCommandOptions extends HistoryOptions {
  /** Move the baseline with the joined runs (main); off: judge only (pull requests). */
  ratchet?: boolean;
  /** Where merged.json and report.md go (default: beside paths.comparison, and paths.report). */
  out?: string;
}

/**
 * Each argument: a shard's directory (as a CI artifact lands: its comparison and results files by
 * the config's names), or its comparison file (the results file beside it, by name).
 */
async function readShard(path: string, context: CommandContext, needRun: boolean): Promise<ShardFiles> {
  const { paths } = context.loaded.config;
  const absolute = resolve(context.cwd, path);
  const file = pathKind(absolute) === 'directory' ? join(absolute, basename(paths.comparison)) : absolute;
  const runFile = join(dirname(file), basename(paths.results));
  const comparison = await readComparison(file);
  const hasRun = pathKind(runFile) !== null;
  if (needRun && !hasRun) {
    throw new RatchetError('ERR_RATCHET_FILE_NOT_FOUND', `${displayPath(runFile, context.cwd)}: cannot read (no such file): --ratchet moves the baseline with every shard's results (${basename(paths.results)} beside ${basename(file)})`, { file: runFile });
  }
  const run = hasRun ? await readRunResult(runFile) : undefined;
  return { file: displayPath(file, context.cwd), comparison, ...(run ? { run } : {}) };
}

/** Every shard judged against the baseline as it is now: a merge moves it from there, never from a newer one. */
function checkJudgedAgainst(shards: readonly ShardFiles[], baselinePath: string, context: CommandContext): void {
  const now = baselineAgainst(baselinePath);
  for (const shard of shards) {
    const against = shard.comparison.shard?.against ?? '';
    if (against === now) continue;
    const why = against.startsWith('commit:') ? 'it was judged against a base commit (run --base), which never moves a baseline' : `it was judged against ${against}, and ${displayPath(baselinePath, context.cwd)} is ${now} now`;
    throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${shard.file}: shard.against: --ratchet moves the baseline from the one the shards judged against, but ${why}`, { file: shard.file, field: 'shard.against' });
  }
}

/** The ratchet step of each device in turn, from one baseline: every kind's moves in one file. */
function stepAll(baseline: Baseline | null, merged: MergedComparisons, runs: readonly RunResult[]): { baseline: Baseline | null; events: MoveEvent[]; changed: boolean } {
  let current = baseline;
  const events: MoveEvent[] = [];
  let changed = false;
  merged.comparisons.forEach((comparison, i) => {
    const run = runs[i]!;
    const at = { sha: run.git?.sha ?? null, time: new Date().toISOString(), ...(run.git ? { dirty: run.git.dirty } : {}) };
    const step = ratchet(current, run, comparison, at);
    current = step.baseline;
    events.push(...step.events);
    changed ||= step.changed;
  });
  return { baseline: current, events, changed };
}

/**
 * `ratchet merge <shards...>`: the shards of one commit on every device joined, one comparison per
 * device key and one report with a section per device; fails (exit 1) when any device does. With
 * --ratchet (main), every device's baseline moves in one write, with its moves log.
 */
export async function mergeCommand(paths_: string[], options: MergeCommandOptions, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const outDir = options.out ? resolve(context.cwd, options.out) : dirname(paths.comparison);
  const mergedPath = join(outDir, 'merged.json');
  const reportPath = options.out ? join(outDir, basename(paths.report)) : paths.report;
  const shards = await Promise.all(paths_.map((path) => readShard(path, context, options.ratchet === true)));
  const { merged, runs } = mergeShards(shards);
  const outputs = [mergedPath, reportPath, ...(options.ratchet ? [paths.baseline, paths.moves] : [])];
  return withWrites(context, outputs, options.ratchet ? 'ratchet merge' : null, async (writes) => {
    const history = options.ratchet ? await planHistory('run', options, context) : null;
    const perDevice = async (key: string) => reportOptions({ deviceKey: key, ids: merged.comparisons.find((c) => c.device.deviceKey === key)!.results.map((r) => r.id) }, undefined, options, context);
    const trends = new Map(await Promise.all(merged.comparisons.map(async (c) => [c.device.deviceKey, await perDevice(c.device.deviceKey)] as const)));
    const markdown = renderMergedMarkdown(merged, { baseline: options.ratchet ? 'updated' : 'kept' }, (key) => trends.get(key) ?? {});
    const files = [{ path: mergedPath, text: mergedJson(merged) }, { path: reportPath, text: markdown }];
    let moved = 0;
    let migrated: string | null = null;
    if (options.ratchet) {
      checkJudgedAgainst(shards, paths.baseline, context);
      const movesText = await checkedMoves(paths.moves);
      const before = await readBaseline(paths.baseline);
      const step = stepAll(before, merged, runs!);
      moved = step.events.length;
      files.unshift(
        ...(step.changed && step.baseline ? [{ path: paths.baseline, text: baselineJson(digestBaseline(step.baseline)) }] : []),
        ...(moved > 0 ? [{ path: paths.moves, text: movesWithEvents(movesText, step.events, paths.moves) }] : []),
      );
      migrated = migrationNote(before, files, paths.baseline, context);
    }
    await writes.write(files);
    if (migrated && !context.output.quiet) context.output.err(migrated);
    if (runs) for (const [i, run] of runs.entries()) await recordRun(history, run, merged.comparisons[i]!, null, context);
    const verdict = mergedGate(merged);
    const { output } = context;
    if (output.json) output.out(mergedJson(merged).trimEnd());
    else {
      for (const comparison of merged.comparisons) {
        const shardCount = merged.shards.filter((s) => s.deviceKey === comparison.device.deviceKey).length;
        const counts = Object.entries(comparison.counts).filter(([, n]) => n > 0).map(([verdict_, n]) => `${n} ${verdict_}`).join(', ');
        output.out(`${comparison.device.name} [${comparison.device.deviceKey}]: ${shardCount} shard(s), ${counts || 'nothing measured'}`);
      }
      output.out(`${verdict.passed ? 'passed' : 'failed'}: ${verdict.reason} · report: ${displayPath(reportPath, context.cwd)}`);
      if (moved > 0 && !output.quiet) output.out(`baseline: ${moved} entr${moved === 1 ? 'y' : 'ies'} moved forward in ${displayPath(paths.baseline, context.cwd)}`);
    }
    return verdict.passed ? exitCodes.ok : exitCodes.regression;
  });
}
