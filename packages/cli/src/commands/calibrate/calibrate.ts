import { dirname, join } from 'node:path';
import { calibrateSuite } from '@ratchet/core';
import { writeOutputs } from '@ratchet/files';
import { renderCalibrationMarkdown, type CalibrationAtThreshold } from '@ratchet/report';
import { RatchetError, type MeasureBudget, type Thresholds } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { throwIfInterrupted } from '../../signals.js';
import { withWrites } from '../../writes.js';
import { withPlan, type MeasureCommandOptions, type MeasurementPlan } from '../../measuring/plan.js';

export interface CalibrateOptions extends MeasureCommandOptions {
  trials: string;
  slowdowns: string;
  sensitivityTrials: string;
  /** Cap on the time one comparison (two interleaved sample sets) may take, ms (the stopping rule's maxTimeMs). */
  setTimeMs?: string;
  /** Fewest samples per side of one comparison (the stopping rule's minSamples). */
  setMinSamples?: string;
  /** CI target of the stopping rule, a fraction of the median (its targetRelCiHalfWidth). */
  setTarget?: string;
  /** Regression thresholds to judge at, comma-separated percentages (default: the configured one). */
  thresholds?: string;
  /** Benchmarks of the pull request to judge in (default: the backend's whole suite, however many are calibrated). */
  suiteSize?: string;
}

function percentages(name: string, text: string): number[] {
  const values = text.split(',').filter(Boolean).map(Number);
  if (values.length === 0 || values.some((v) => !(v > 0))) throw new RatchetError('ERR_RATCHET_USAGE', `--${name}: expected comma-separated percentages > 0 but received '${text}'`);
  return values;
}

function fraction(name: string, text: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1)) throw new RatchetError('ERR_RATCHET_USAGE', `--${name}: expected a fraction of the median between 0 and 1 (0.002 for 0.2%) but received '${text}'`);
  return value;
}

function count(name: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new RatchetError('ERR_RATCHET_USAGE', `--${name}: expected an integer >= ${minimum} but received '${text}'`);
  return value;
}

/**
 * `ratchet calibrate [ids...]`: A/A comparisons (false-alarm rate, noise floor) and injected
 * slowdowns of known size (detection rate), through the very verdict `ratchet run` gives.
 */
export async function calibrateCommand(ids: string[], options: CalibrateOptions, context: CommandContext): Promise<number> {
  const trials = count('trials', options.trials, 1);
  const sensitivityTrials = count('sensitivity-trials', options.sensitivityTrials, 0);
  const slowdownsPct = percentages('slowdowns', options.slowdowns);
  const { thresholds, paths } = context.loaded.config;
  // Calibration compares interleaved sample sets, so by default (none given) it checks the same-session threshold.
  const regressionPcts = options.thresholds === undefined ? undefined : percentages('thresholds', options.thresholds);
  return withPlan(ids, options, context, async (plan) => {
    // A pull request runs the whole suite, so a benchmark calibrated alone is still judged as one of them.
    const suiteSize = options.suiteSize === undefined ? plan.suiteSize : count('suite-size', options.suiteSize, plan.benchmarks.length);
    const timed = options.setTimeMs === undefined ? plan.budget : { ...plan.budget, maxTimeMs: count('set-time-ms', options.setTimeMs, 1), minTimeMs: Math.min(plan.budget.minTimeMs, Number(options.setTimeMs)) };
    const counted = options.setMinSamples === undefined ? timed : { ...timed, minSamples: count('set-min-samples', options.setMinSamples, 3) };
    const budget = options.setTarget === undefined ? counted : { ...counted, targetRelCiHalfWidth: fraction('set-target', options.setTarget) };
    const outputs = { markdown: join(dirname(paths.report), 'calibration.md'), json: join(dirname(paths.report), 'calibration.json') };
    return withWrites(context, [outputs.markdown, outputs.json], null, () =>
      calibrateAll(plan, { budget, thresholds, trials, slowdownsPct, sensitivityTrials, suiteSize, ...(regressionPcts ? { regressionPcts } : {}) }, outputs, context));
  });
}

/** The suite calibrated (core's calibrateSuite), its figures so far written after every benchmark. */
async function calibrateAll(
  plan: MeasurementPlan,
  options: { budget: MeasureBudget; thresholds: Thresholds; regressionPcts?: number[]; trials: number; slowdownsPct: number[]; sensitivityTrials: number; suiteSize: number },
  outputs: { markdown: string; json: string },
  context: CommandContext,
): Promise<number> {
  const { budget, thresholds, suiteSize } = options;
  const { device } = plan.measure;
  const total = plan.benchmarks.length;
  let markdown = '';
  const started = performance.now();
  // Written after every benchmark: a long calibration stopped midway keeps what it measured
  // (the suite-wide figures then cover the benchmarks measured so far).
  const results = await calibrateSuite(plan.measure, plan.benchmarks, {
    ...options,
    onProgress: (index, done, all) => context.output.progress(`[${index + 1}/${total}] ${done}/${all} sample sets`),
    onCalibrated: async (calibrations, judged: CalibrationAtThreshold[]) => {
      const row = judged[0]!.rows.at(-1)!;
      const mdc = row.mdcPct === null || row.mdcPct === undefined ? 'none' : `+${row.mdcPct.toFixed(2)}%`;
      context.output.finished(`[${calibrations.length}/${total}] ${row.id}  A/A: ${row.verdicts.regression}/${row.trials} false alarms at ${row.regressionPct}%, noise floor ${row.noiseFloorPct.toFixed(2)}%, stated MDC ${mdc}`);
      markdown = renderCalibrationMarkdown(device.name, thresholds, judged);
      const elapsedS = (performance.now() - started) / 1e3;
      await writeOutputs([
        { path: outputs.json, text: `${JSON.stringify({ device, thresholds, budget, suiteSize, elapsedS, results: judged }, null, 2)}\n` },
        { path: outputs.markdown, text: `${markdown.trimEnd()}\n\nMeasured in ${elapsedS.toFixed(0)} s (${calibrations.length} benchmark(s)).\n` },
      ], throwIfInterrupted);
    },
  });
  context.output.progress(null);
  if (context.output.json) context.output.out(JSON.stringify({ results }, null, 2));
  else if (!context.output.quiet) {
    context.output.out(markdown.trimEnd());
    context.output.out(`\nwritten: ${displayPath(outputs.markdown, context.cwd)}, ${displayPath(outputs.json, context.cwd)}`);
  }
  return exitCodes.ok;
}
