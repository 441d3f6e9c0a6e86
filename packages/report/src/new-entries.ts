import type { Comparison } from '@ratchet/types';

/**
 * What a run did with its new benchmarks, for the verdict line and the terminal: stored in the
 * baseline, or left out as too noisy (Thresholds.newEntryMaxCvPct) and why. A first run on a
 * loaded machine stores nothing; "6 new" alone read as six entries written. `baseline` is what the
 * run did to the baseline (MarkdownOptions.baseline); null when there is nothing new.
 */
export function newEntriesText(comparison: Comparison, baseline: 'updated' | 'kept' | undefined): string | null {
  const added = comparison.results.filter((r) => r.verdict === 'new');
  if (added.length === 0) return null;
  if (baseline !== 'updated') return `${added.length} new`;
  const unstable = added.filter((r) => r.unstable === true).length;
  if (unstable === 0) return `${added.length} new, stored`;
  const why = `too noisy (${noisyWhy(comparison)}; a steadier run stores them)`;
  return unstable === added.length ? `${added.length} new, none stored: ${why}` : `${added.length} new: ${added.length - unstable} stored, ${unstable} not: ${why}`;
}

/** The rule a new entry failed: its robust cv over the bound of the thresholds it was judged at. */
export function noisyWhy(comparison: Comparison): string {
  const bound = comparison.thresholds.newEntryMaxCvPct;
  return bound === undefined ? 'robust cv too high' : `robust cv over ${bound}%`;
}
