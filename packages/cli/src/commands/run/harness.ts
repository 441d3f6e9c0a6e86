// `ratchet run --command "<cmd>" --from <format> [--base <ref>]`: the user's own harness as the
// measurement source. Ratchet runs the command again and again (in the base's worktree too, head
// and base alternating run by run), reads each run's output with the importer, and judges the runs
// as turns: paired against the base, or against the committed baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { judgeHarnessRuns, measureHarnessRuns, readImport, spawnGroup, type HarnessSide } from '@ratchet/core';
import { pathKind, readBaseline, runResultJson } from '@ratchet/files';
import { RatchetError, type ImportFormat, type RunResult } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { gitInfo, repoRoot, resolveCommit } from '../../git.js';
import { importReadOptions, type ImportCommandOptions } from '../../importing/imported.js';
import { checkedMoves, judgementOutputs, type JudgeOptions } from '../../judging/judgement.js';
import { buildBase } from '../../measuring/base-build.js';
import { readBaseGate } from '../../measuring/base-gate.js';
import { durationMs } from '../../option-values.js';
import { printComparison } from '../../output.js';
import { planHistory, recordRun, reportOptions, type HistoryOptions } from '../../run-history.js';
import { throwIfInterrupted } from '../../signals.js';
import { withWrites } from '../../writes.js';

export interface HarnessCommandOptions extends ImportCommandOptions, JudgeOptions, HistoryOptions {
  command: string;
  base?: string;
  minRuns: string;
  maxRuns: string;
  timeBudget: string;
  target: string;
}

/** What the command's output file is called, by format: nvbench writes its -bin sidecars beside it. */
const outputName: Record<ImportFormat, string> = {
  nvbench: 'output.json', 'google-benchmark': 'output.json', 'pytest-benchmark': 'output.json', triton: 'output.csv', 'ratchet-samples': 'output.json',
};

function count(text: string, flag: string, least: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) throw new RatchetError('ERR_RATCHET_USAGE', `${flag}: expected an integer >= ${least} but received '${text}'`);
  return value;
}

function harnessBudget(options: HarnessCommandOptions) {
  const minRuns = count(options.minRuns, '--min-runs', 1);
  const maxRuns = count(options.maxRuns, '--max-runs', minRuns);
  const maxTimeMs = durationMs(options.timeBudget);
  if (maxTimeMs === null) throw new RatchetError('ERR_RATCHET_USAGE', `--time-budget: expected a time > 0 in seconds (600, 90s or 10m) but received '${options.timeBudget}'`);
  const target = Number(options.target);
  if (!(target > 0 && target < 1)) throw new RatchetError('ERR_RATCHET_USAGE', `--target: expected a fraction between 0 and 1 (0.01 is 1%) but received '${options.target}'`);
  return { minRuns, maxRuns, maxTimeMs, targetRelCiHalfWidth: target };
}

/** The last lines a failed run printed, on one line. */
function tail(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ') || '(it printed nothing)';
}

/**
 * One run of the command in `cwd`, through `sh -c` in a process group of its own (a signal stops
 * it with everything it started), told where to write by RATCHET_OUTPUT and RATCHET_OUTPUT_DIR
 * (a fresh directory per run, removed once read); its output read as `format`.
 */
function runOnce(command: string, cwd: string, side: HarnessSide, run: number, options: HarnessCommandOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-harness-'));
  const output = join(dir, outputName[options.from]);
  const env = { ...process.env, RATCHET_OUTPUT: output, RATCHET_OUTPUT_DIR: dir, RATCHET_SIDE: side, RATCHET_RUN: String(run + 1) };
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawnGroup('sh', ['-c', command], { cwd, env });
    child.stdin.end();
    let printed = '';
    const keep = (chunk: Buffer) => (printed = (printed + chunk.toString('utf8')).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new RatchetError('ERR_RATCHET_PROCESS', `--command: could not start sh: ${error.message}`)));
    child.on('close', (status, signal) => {
      try {
        throwIfInterrupted();
        if (status !== 0) throw new RatchetError('ERR_RATCHET_PROCESS', `--command (${side}, run ${run + 1}) exited ${status ?? signal}: ${tail(printed)}`);
        // The file RATCHET_OUTPUT names, else whatever the harness wrote in the directory (perf_report's <plot>.csv).
        resolve(readImport(options.from, [pathKind(output) === null ? dir : output], importReadOptions(options)));
      } catch (error) {
        reject(error instanceof RatchetError && error.code === 'ERR_RATCHET_INVALID_RESULTS' ? new RatchetError(error.code, `--command (${side}, run ${run + 1}): ${error.message}`, { cause: error }) : error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** `run --command <cmd> --from <format> [--base <ref>]`. */
export async function harnessRunCommand(options: HarnessCommandOptions, context: CommandContext): Promise<number> {
  if (options.from === undefined) throw new RatchetError('ERR_RATCHET_USAGE', '--command: say what the command writes with --from <format> (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)');
  const budget = harnessBudget(options);
  const withBase = options.base !== undefined;
  const baseSha = withBase ? resolveCommit(context.cwd, options.base!) : null;
  // A pull request does not set its own gate: the base's thresholds judge (base-gate.ts).
  const baseGate = baseSha ? readBaseGate(context, { sha: baseSha }) : null;
  const thresholds = (baseGate?.loaded.config ?? context.loaded.config).thresholds;
  const { paths } = context.loaded.config;
  const basePath = join(dirname(paths.results), 'base.json');
  const ratchet = options.ratchet && !withBase;
  const outputs = [paths.results, paths.report, paths.comparison, ...(withBase ? [basePath] : []), ...(ratchet ? [paths.baseline, paths.moves] : [])];
  return withWrites(context, outputs, ratchet ? 'ratchet run' : null, async (writes) => {
    const baseline = withBase ? null : await readBaseline(paths.baseline);
    const movesText = ratchet ? await checkedMoves(paths.moves) : '';
    const history = withBase ? null : await planHistory('run', options, context);
    let baseCwd = context.cwd;
    if (withBase) {
      const base = await buildBase(context.cwd, context.loaded.root, options.base!, baseGate?.loaded.config.build, (line) => context.output.err(line));
      baseCwd = join(base.root, relative(repoRoot(context.cwd), context.cwd));
    }
    const outcome = await measureHarnessRuns({
      withBase, budget,
      runHarness: (side, run) => {
        context.output.progress(`run ${run + 1}: ${side}: ${options.command}`);
        return runOnce(options.command, side === 'head' ? context.cwd : baseCwd, side, run, options);
      },
      onRun: (side, run, elapsedMs) => context.output.finished(`run ${run + 1} (${side}) read, ${(elapsedMs / 1e3).toFixed(1)} s so far`),
    });
    context.output.progress(null);
    const head = { ...outcome.head, git: gitInfo(context.cwd) };
    const report = await reportOptions({ deviceKey: head.device.deviceKey, ids: head.measurements.map((m) => m.id) }, withBase ? 'kept' : ratchet ? 'updated' : 'kept', options, context);
    const judgement = judgeHarnessRuns({ ...outcome, head }, { thresholds, baseline, report, ...(baseSha ? { baseInfo: { baseRef: options.base!, baseSha } } : {}) });
    await writes.write([
      ...judgementOutputs(paths, judgement, { ratchet, movesText, measured: head }),
      ...(outcome.base ? [{ path: basePath, text: runResultJson(outcome.base) }] : []),
    ]);
    await recordRun(history, head, judgement.comparison, null, context);
    const { output } = context;
    if (output.json) output.out(judgement.json.trimEnd());
    else {
      printComparison(output, judgement.comparison, displayPath(paths.report, context.cwd), withBase || !ratchet ? 'kept' : 'updated');
      if (!output.quiet) output.out(`${outcome.runs} run(s) of the harness${withBase ? ' on each side, alternating' : ''}, stopped: ${outcome.stopReason}`);
    }
    return judgement.gate.passed ? exitCodes.ok : exitCodes.regression;
  });
}
