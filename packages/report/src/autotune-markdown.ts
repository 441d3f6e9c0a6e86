import type { TuningEntry } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

/** Per benchmark: every variant tried, its median and ratio to the default, and the winner. */
export function renderAutotuneMarkdown(deviceName: string, entries: Record<string, TuningEntry>): string {
  const lines = [`# Autotune: ${escapeMarkdown(deviceName)}`, ''];
  lines.push('| Benchmark | Variant | Median | vs default (corrected CI) | Chosen |', '|---|---|---|---|---|');
  for (const [id, entry] of Object.entries(entries)) {
    for (const c of entry.candidates) {
      const median = c.medianMs === null ? '—' : `${c.medianMs.toPrecision(4)} ms`;
      const ratio =
        c.status === 'invalid'
          ? `invalid: ${escapeMarkdown(c.detail ?? '')}`
          : c.ratio === null || c.ratioCi === null
            ? 'default'
            : `${c.ratio.toFixed(3)} (${c.ratioCi[0].toFixed(3)}..${c.ratioCi[1].toFixed(3)})`;
      const chosen = c.variant === entry.variant ? (entry.variant === entry.defaultVariant ? 'kept' : `**${entry.speedup.toFixed(3)}x faster**`) : '';
      lines.push(`| ${escapeMarkdown(id)} | ${escapeMarkdown(c.variant)} | ${median} | ${ratio} | ${chosen} |`);
    }
  }
  lines.push('', 'A variant is chosen only when its whole corrected CI (1 - 0.05 / candidates) is below 1.00: really faster than the default.', '');
  return lines.join('\n');
}
