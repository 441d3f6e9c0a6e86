import type { BenchmarkComparison, Comparison, Verdict } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

export interface MarkdownOptions {
  title?: string;
  /** Where the full report lives (CI artifact); linked when the text is truncated. */
  artifactUrl?: string;
  /** Truncate at a row boundary past this many characters (GitHub comments stop at 65,536). */
  maxChars?: number;
}

const sections: { verdict: Verdict; heading: string; collapse?: boolean }[] = [
  { verdict: 'regression', heading: '❌ Regressions' },
  { verdict: 'inconclusive', heading: '⚠️ Inconclusive (re-run)' },
  { verdict: 'invalid', heading: '🚫 Invalid (failed correctness check, not timed)' },
  { verdict: 'improvement', heading: '✅ Improvements (baseline updated)' },
  { verdict: 'new', heading: '🆕 New' },
  { verdict: 'missing', heading: '❓ Missing (in the baseline, not measured)' },
  { verdict: 'unchanged', heading: '➖ Unchanged', collapse: true },
];

const ms = (value: number | undefined) => (value === undefined ? '—' : `${value.toPrecision(4)} ms`);
const signed = (pct: number) => `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;

function row(result: BenchmarkComparison): string {
  const change = result.changePct === null ? '—' : `**${signed(result.changePct)}**`;
  const ci = result.ratioCi95 ? `${signed((result.ratioCi95[0] - 1) * 100)}..${signed((result.ratioCi95[1] - 1) * 100)}` : '—';
  const tflops = result.tflops === null ? '—' : result.tflops >= 100 ? result.tflops.toFixed(0) : result.tflops.toPrecision(3);
  // Why a verdict is what it is, where a guard decided it: same machine code, or the clock moved.
  const notes = [result.aa ? 'A/A' : '', result.cycles ? `${signed(result.cycles.changePct)} in cycles` : ''].filter(Boolean);
  const verdict = notes.length ? `${result.verdict} (${notes.join(', ')})` : result.verdict;
  return `| ${escapeMarkdown(result.id)} | ${ms(result.baseline?.median)} | ${ms(result.current?.median)} | ${change} | ${ci} | ${tflops} | ${verdict} |`;
}

function header(comparison: Comparison): string[] {
  const { device, timing, thresholds, git } = comparison;
  const aa = comparison.results.filter((r) => r.aa).length;
  const commit = git ? `\`${git.sha.slice(0, 12)}\`${git.branch ? ` on ${escapeMarkdown(git.branch)}` : ''}${git.dirty ? ' (uncommitted changes)' : ''}` : 'not a git checkout';
  return [
    `- **Device**: ${escapeMarkdown(device.name)} (\`${escapeMarkdown(device.deviceKey)}\`)`,
    `- **Commit**: ${commit}`,
    `- **Timing**: ${timing.clock}, ${timing.warmup} warm-up, L2 flush ${timing.l2Flush ? 'on' : 'off'}, ${timing.launchesPerSample} launch(es) per sample`,
    `- **Thresholds**: regression > +${thresholds.regressionPct}%, improvement < -${thresholds.improvementPct}%, significance α = ${thresholds.alpha}`,
    ...(comparison.relative
      ? [`- **Relative to**: \`${escapeMarkdown(comparison.relative.baseRef)}\` (\`${comparison.relative.baseSha.slice(0, 12)}\`), both builds measured interleaved in this run${aa ? `; **A/A** on ${aa} of ${comparison.results.length}: the same machine code on both sides, so no regression can be reported there` : ''}`]
      : []),
  ];
}

/** The PR-ready report: header, counts, then one table per verdict, what needs attention first. */
export function renderMarkdown(comparison: Comparison, options: MarkdownOptions = {}): string {
  const { counts } = comparison;
  const lines = [`# ${escapeMarkdown(options.title ?? 'Performance Ratchet Report')}`, '', ...header(comparison), '', '## Summary', ''];
  lines.push(`- Total benchmarks: ${comparison.results.length}`);
  for (const { verdict } of sections) lines.push(`- ${verdict[0]!.toUpperCase()}${verdict.slice(1)}: ${counts[verdict]}`);
  for (const { verdict, heading, collapse } of sections) {
    const results = comparison.results.filter((r) => r.verdict === verdict);
    if (results.length === 0) continue;
    const table = ['| Benchmark | Baseline | Current | Change | 95% CI | TFLOP/s | Verdict |', '|---|---|---|---|---|---|---|', ...results.map(row)];
    lines.push('', `## ${heading}`, '');
    if (collapse && results.length > 5) lines.push(`<details><summary>${results.length} benchmarks</summary>`, '', ...table, '', '</details>');
    else lines.push(...table);
  }
  lines.push('', counts.regression > 0 ? `**${counts.regression} regression${counts.regression === 1 ? '' : 's'}**` : '✅ No regressions detected', '');
  return truncate(lines.join('\n'), options);
}

function truncate(text: string, options: MarkdownOptions): string {
  if (options.maxChars === undefined || text.length <= options.maxChars) return text;
  const note = `\n\n_Report truncated: ${text.length} characters is over the limit._${options.artifactUrl ? ` [Full report](${options.artifactUrl})` : ''}\n`;
  const cut = text.lastIndexOf('\n', options.maxChars - note.length);
  return text.slice(0, Math.max(cut, 0)) + note;
}
