import { join, dirname } from 'node:path';
import { readTuning, writeFileAtomic, writeTuning } from '@ratchet/files';
import { autotuneBenchmark, checkTuning, estimateSuite, gitInfo, renderAutotuneMarkdown, shareOfBudget, sourcesProbe, withTuningEntry } from '@ratchet/core';
import { RatchetError, benchmarkId, type Benchmark } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { throwIfInterrupted } from '../signals.js';
import { withWrites } from '../writes.js';
import { withPlan, type MeasureCommandOptions } from './measure.js';

export interface AutotuneOptions extends MeasureCommandOptions {
  /** Total time budget, seconds. */
  budget: string;
  /** Tune again benchmarks already tuned for this device. */
  force?: boolean;
}

/** `120`, `20s`, `1.5m`, `2min` as milliseconds; null unless it is a time > 0. */
export function durationMs(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|min)?$/.exec(text.trim());
  const value = match ? Number(match[1]) * (match[2] === undefined || match[2] === 's' ? 1e3 : 60e3) : Number.NaN;
  return value > 0 ? value : null;
}

/**
 * `ratchet autotune [ids...]`: every variant of each benchmark, checked, then timed with bench's
 * stopping rule; a variant is chosen only when it is significantly faster than the default.
 * The tuning file is written after each benchmark (under the lock), so a re-run after Ctrl-C
 * resumes where it stopped.
 */
export async function autotuneCommand(ids: string[], options: AutotuneOptions, context: CommandContext, now = () => performance.now()): Promise<number> {
  const budgetMs = durationMs(options.budget);
  if (budgetMs === null) throw new RatchetError('ERR_RATCHET_USAGE', `--budget: expected a time > 0 in seconds (120, 20s or 2m) but received '${options.budget}'`);
  const { paths } = context.loaded.config;
  return withPlan(ids, options, context, async (plan) => {
    const reportPath = join(dirname(paths.report), 'autotune.md');
    return withWrites(context, [paths.tuning, reportPath], 'ratchet autotune', async () => {
      const { measure } = plan;
      const device = measure.device;
      let tuning = await readTuning(paths.tuning);
      // Done: an entry still about the variants and code compiled now; a stale one is tuned again.
      const checked = options.force ? { tuning, ignored: [] } : await checkTuning(tuning, device, plan.benchmarks, sourcesProbe(plan.sources, measure), { every: true });
      const done = checked.tuning?.devices[device.deviceKey]?.benchmarks ?? {};
      const todo: { benchmark: Benchmark; variants: string[] }[] = [];
      for (const benchmark of plan.benchmarks) {
        if (options.force || !done[benchmarkId(benchmark)]) todo.push({ benchmark, variants: await plan.sources.variants(benchmark) });
      }
      await estimateSuite(measure, todo.map((t) => t.benchmark), plan.budget);
      const skipped = plan.benchmarks.length - todo.length;
      if (!context.output.quiet) {
        if (skipped > 0) context.output.err(`resuming: ${skipped} benchmark(s) already tuned for ${device.deviceKey} (--force to redo)`);
        for (const { id, reason } of checked.ignored) context.output.err(`tuning ${id} again: ${reason}`);
      }
      const steps = todo.reduce((total, t) => total + t.variants.length, 0);
      const started = now();
      const git = gitInfo(context.cwd);
      let step = 0;
      for (const { benchmark, variants } of todo) {
        const id = benchmarkId(benchmark);
        const timeLeftMs = budgetMs - (now() - started);
        const budget = shareOfBudget(plan.budget, timeLeftMs, steps - step);
        const entry = await autotuneBenchmark(measure, benchmark, variants, {
          budget,
          at: { sha: git?.sha ?? null, time: new Date().toISOString() },
          onVariant: (variant, index) => {
            const left = Math.max(0, budgetMs - (now() - started)) / 1e3;
            const filled = Math.round(((step + index) / Math.max(steps, 1)) * 20);
            context.output.progress(`[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${id} ${variant}  ~${left.toFixed(0)} s left`);
          },
        });
        step += variants.length;
        context.output.finished(`[${step}/${steps} variants] ${id}  ${entry.variant === entry.defaultVariant ? `kept ${entry.variant}` : `chose ${entry.variant} (${entry.speedup.toFixed(2)}x)`}`);
        tuning = withTuningEntry(tuning, device, id, entry);
        // Each benchmark's choice is kept as it is made (a re-run resumes), unless a signal came first.
        throwIfInterrupted();
        await writeTuning(paths.tuning, tuning);
      }
      context.output.progress(null);
      const allEntries = tuning?.devices[device.deviceKey]?.benchmarks ?? {};
      const markdown = renderAutotuneMarkdown(device.name, allEntries);
      throwIfInterrupted();
      await writeFileAtomic(reportPath, markdown);
      if (context.output.json) context.output.out(JSON.stringify(allEntries, null, 2));
      else if (!context.output.quiet) {
        context.output.out(markdown.trimEnd());
        context.output.out(`\ntuning: ${displayPath(paths.tuning, context.cwd)} · report: ${displayPath(reportPath, context.cwd)}`);
      }
      return exitCodes.ok;
    });
  });
}
