import type { PipelineEvent } from '@ratchet/core';
import type { CommandContext } from '../context.js';
import { formatMs } from '../output.js';

/**
 * Prints what the pipeline reports: a redrawn status line on a terminal, and in a log (no TTY)
 * one plain line per benchmark as it finishes, so a long run is never silent.
 */
export function printEvents(context: CommandContext): (event: PipelineEvent) => void {
  const { output } = context;
  return (event) => {
    if (event.kind === 'progress') {
      output.progress(`[${event.index + 1}/${event.total}] ${event.id}  ${event.samples} samples  ${(event.elapsedMs / 1e3).toFixed(1)} s`);
      return;
    }
    output.progress(null);
    if (output.quiet) return;
    if (event.kind === 'note') output.err(output.color.yellow(event.text));
    else if (event.kind === 'remeasure') output.err(`re-measured ${event.ids.length} inconclusive benchmark(s) with twice the budget: ${event.ids.join(', ')}`);
    else if (event.kind === 'confirm') {
      output.err(event.available
        ? `confirming ${event.ids.length} cross-run change(s) past the threshold against ${event.baseSha.slice(0, 12)} (the baseline's commit), interleaved: ${event.ids.join(', ')}`
        : `cannot build ${event.baseSha.slice(0, 12)} (the baseline's commit): ${event.ids.join(', ')} stay unconfirmed, failing only far past any drift between runs`);
    } else if (event.kind === 'measured') {
      const m = event.measurement;
      const figure = m.summary ? `${formatMs(m.summary.median)}, n=${m.summary.n}` : `invalid: ${m.correctness?.detail ?? 'failed its check'}`;
      output.finished(`[${event.index + 1}/${event.total}] ${m.id}  ${figure}`);
    }
  };
}
