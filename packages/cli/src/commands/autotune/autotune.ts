import { join, dirname } from 'node:path';
import { autotuneSuite, checkTuning, withTuningEntry, type TuningTask } from '@ratchet/core';
import { readTuning, writeFileAtomic, writeTuning } from '@ratchet/files';
import { renderAutotuneMarkdown } from '@ratchet/report';
import { RatchetError, benchmarkId } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { gitInfo } from '../../git.js';
import { durationMs } from '../../option-values.js';
import { throwIfInterrupted } from '../../signals.js';
import { withWrites } from '../../writes.js';
import { withPlan, type MeasureCommandOptions } from '../../measuring/plan.js';

export interface AutotuneOptions extends MeasureCommandOptions {
  /** Total time budget, seconds. */
  budget: string;
  /** Tune again benchmarks already tuned for this device. */
  force?: boolean;
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
      const checked = options.force ? { tuning, ignored: [] } : await checkTuning(tuning, plan.benchmarks, { sources: plan.sources, backend: measure }, { every: true });
      const done = checked.tuning?.devices[device.deviceKey]?.benchmarks ?? {};
      const todo: TuningTask[] = [];
      for (const benchmark of plan.benchmarks) {
        if (options.force || !done[benchmarkId(benchmark)]) todo.push({ benchmark, variants: await plan.sources.variants(benchmark) });
      }
      const skipped = plan.benchmarks.length - todo.length;
      if (!context.output.quiet) {
        if (skipped > 0) context.output.err(`resuming: ${skipped} benchmark(s) already tuned for ${device.deviceKey} (--force to redo)`);
        for (const { id, reason } of checked.ignored) context.output.err(`tuning ${id} again: ${reason}`);
      }
      const git = gitInfo(context.cwd);
      await autotuneSuite(measure, todo, {
        budget: plan.budget, totalMs: budgetMs, now,
        at: { sha: git?.sha ?? null, time: () => new Date().toISOString() },
        onVariant: ({ id, variant, step, steps, timeLeftMs }) => {
          const filled = Math.round((step / Math.max(steps, 1)) * 20);
          context.output.progress(`[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${id} ${variant}  ~${(timeLeftMs / 1e3).toFixed(0)} s left`);
        },
        onTuned: async (id, entry, { step, steps }) => {
          context.output.finished(`[${step}/${steps} variants] ${id}  ${entry.variant === entry.defaultVariant ? `kept ${entry.variant}` : `chose ${entry.variant} (${entry.speedup.toFixed(2)}x)`}`);
          tuning = withTuningEntry(tuning, device, id, entry);
          // Each benchmark's choice is kept as it is made (a re-run resumes), unless a signal came first.
          throwIfInterrupted();
          await writeTuning(paths.tuning, tuning);
        },
      });
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
