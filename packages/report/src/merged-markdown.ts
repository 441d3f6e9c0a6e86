import type { Comparison, MergedComparisons } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';
import { renderMarkdown, type MarkdownOptions } from './markdown.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A device fails the pull request with a confirmed regression or a kernel that failed its check. */
const fails = (comparison: Comparison) => comparison.counts.regression + comparison.counts.invalid > 0;

/** One line for the whole pull request: which devices fail, and how many benchmarks each judged. */
function fleetLine(merged: MergedComparisons): string {
  const failing = merged.comparisons.filter(fails);
  const regressions = merged.comparisons.reduce((sum, c) => sum + c.counts.regression, 0);
  const invalid = merged.comparisons.reduce((sum, c) => sum + c.counts.invalid, 0);
  const devices = plural(merged.comparisons.length, 'device');
  const at = merged.git ? ` at \`${merged.git.sha.slice(0, 12)}\`` : '';
  if (failing.length === 0) return `✅ **No regressions** on ${devices === '1 device' ? 'the device' : `any of ${devices}`}${at}`;
  const what = [regressions ? `**${plural(regressions, 'regression')}**` : '', invalid ? `**${invalid} invalid**` : ''].filter(Boolean).join(' and ');
  return `❌ ${what} on ${failing.map((c) => escapeMarkdown(c.device.name)).join(', ')} (${failing.length} of ${devices})${at}`;
}

/** The shards behind one device's section, e.g. "2 shards on 2 GPUs" (GPUs told apart by UUID). */
function shardsText(merged: MergedComparisons, deviceKey: string): string {
  const shards = merged.shards.filter((s) => s.deviceKey === deviceKey);
  if (shards.length === 1) return 'one run';
  const gpus = shards.every((s) => s.uuid) ? new Set(shards.map((s) => s.uuid)).size : 0;
  return `${plural(shards.length, 'shard')}${gpus > 0 ? ` on ${plural(gpus, 'GPU')}` : ''}`;
}

/**
 * The report of a merge: one line for the pull request, then a section per device (its own
 * report, headings one level down), failing devices first. `options` per device key (trends).
 */
export function renderMergedMarkdown(merged: MergedComparisons, options: MarkdownOptions = {}, perDevice: (deviceKey: string) => MarkdownOptions = () => ({})): string {
  const ordered = [...merged.comparisons].sort((a, b) => Number(fails(b)) - Number(fails(a)) || a.device.deviceKey.localeCompare(b.device.deviceKey));
  const lines = [`# ${escapeMarkdown(options.title ?? 'Performance Ratchet Report')}`, '', fleetLine(merged)];
  for (const comparison of ordered) {
    const key = comparison.device.deviceKey;
    // The device's own report without its title: its verdict line opens the section.
    const body = renderMarkdown(comparison, { ...options, ...perDevice(key), title: '' }).split('\n').slice(2).join('\n');
    lines.push('', `## ${escapeMarkdown(comparison.device.name)} (\`${escapeMarkdown(key)}\`, ${shardsText(merged, key)})`, '', body.replace(/^## /gm, '### ').trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
