import type { BenchmarkComparison, Comparison, Verdict } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';
import { gateLines } from './gate-markdown.js';
import { evidenceNote, figures, importedLines } from './imported-markdown.js';
import { newEntriesText, noisyWhy } from './new-entries.js';
import { sparkline } from './sparkline.js';
import { workRateText } from './rate.js';
import { catchesText, sensitivityText } from './sensitivity-text.js';

export interface MarkdownOptions {
  title?: string;
  /** Where the full report lives (CI artifact); linked when the text is truncated. */
  artifactUrl?: string;
  /** Truncate at a row boundary past this many characters (GitHub comments stop at 65,536). */
  maxChars?: number;
  /**
   * What this run did to the baseline: `updated` (a ratchet run moved it on improvements and new
   * benchmarks), `kept` (judge only: `--no-ratchet`, relative mode). Absent: not known, and the
   * headings claim neither.
   */
  baseline?: 'updated' | 'kept';
  /** Recent medians (ms, oldest first) per benchmark id on this device, from the run history. */
  trends?: Readonly<Record<string, readonly number[]>>;
  /** The published dashboard (trends of every benchmark), linked at the top. */
  dashboardUrl?: string;
}

interface Section {
  verdict: Verdict;
  heading: (options: MarkdownOptions, relative: boolean, comparison: Comparison) => string;
  /** Which results of the verdict the section holds (default: all). */
  holds?: (result: BenchmarkComparison, options: MarkdownOptions) => boolean;
  /** Shown only inside <details>: nothing to act on. */
  collapse?: boolean;
}

const icons: Record<Verdict, string> = {
  regression: '❌', inconclusive: '⚠️', invalid: '🚫', improvement: '✅', new: '🆕', missing: '❓', unchanged: '➖',
};

// Worded by what happened: a judge-only run never says the baseline moved.
const sections: Section[] = [
  { verdict: 'regression', heading: () => 'Regressions' },
  { verdict: 'inconclusive', heading: () => 'Inconclusive (re-run)' },
  { verdict: 'invalid', heading: () => 'Invalid (failed correctness check, not timed)' },
  {
    verdict: 'improvement',
    heading: (o, relative) =>
      relative ? 'Faster than the base' : o.baseline === 'updated' ? 'Improvements (baseline updated)' : o.baseline === 'kept' ? 'Improvements (judge-only run: baseline not updated)' : 'Improvements',
  },
  {
    verdict: 'new',
    heading: (o) => (o.baseline === 'updated' ? 'New (added to the baseline)' : o.baseline === 'kept' ? 'New (judge-only run: not added to the baseline)' : 'New'),
    // A run that moves the baseline leaves the unsteady ones out: they get a section saying so.
    holds: (r, o) => o.baseline !== 'updated' || r.unstable !== true,
  },
  {
    verdict: 'new',
    heading: (_o, _relative, c) => `New, not stored yet (too noisy: ${noisyWhy(c)}; a steadier run stores them)`,
    holds: (r, o) => o.baseline === 'updated' && r.unstable === true,
  },
  { verdict: 'missing', heading: () => 'Missing (in the baseline, not measured)' },
  { verdict: 'unchanged', heading: () => 'Unchanged', collapse: true },
];

const ms = (value: number | undefined) => (value === undefined ? '—' : `${value.toPrecision(4)} ms`);
const signed = (pct: number, digits = 1) => `${pct >= 0 ? '+' : ''}${pct.toFixed(digits)}%`;
// No-break spaces keep `< 0.001` and `❌ regression` whole when a narrow column wraps.
const pValue = (p: number | null) => (p === null ? '—' : p < 0.001 ? '<\u00a00.001' : String(Number(p.toPrecision(2))));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function change(result: BenchmarkComparison): string {
  if (result.changePct === null) return '—';
  const bound = (ratio: number) => signed((ratio - 1) * 100).slice(0, -1);
  const ci = result.ratioCi95 ? ` (${bound(result.ratioCi95[0])} … ${bound(result.ratioCi95[1])})` : '';
  return `**${signed(result.changePct)}**${ci}${evidenceNote(result)}`;
}

/** The row that must be readable at PR-comment width: verdict, benchmark, change and CI, p. */
function glanceRow(result: BenchmarkComparison): string {
  return `| ${icons[result.verdict]}\u00a0${result.verdict} | ${escapeMarkdown(result.id)} | ${change(result)} | ${pValue(result.pValue)} |`;
}

const glanceHeader = ['| Verdict | Benchmark | Change (95% CI) | p |', '|---|---|---|---|'];

function detailRow(result: BenchmarkComparison): string {
  const notes = [result.aa && !result.skipped ? 'A/A: same machine code' : '', result.cycles ? `${signed(result.cycles.changePct)} in SM cycles` : ''].filter(Boolean);
  const why = [result.reason, ...notes].filter(Boolean).join('; ');
  const side = figures(result);
  return `| ${escapeMarkdown(result.id)} | ${side.baseline} | ${side.current} | ${workRateText(result) ?? '—'} | ${escapeMarkdown(result.variant ?? '—')} | ${catchesText(result)} | ${escapeMarkdown(why) || '—'} |`;
}

function runLines(comparison: Comparison): string[] {
  const { device, timing, thresholds, git } = comparison;
  const aa = comparison.results.filter((r) => r.aa).length;
  const commit = git ? `\`${git.sha.slice(0, 12)}\`${git.branch ? ` on ${escapeMarkdown(git.branch)}` : ''}${git.dirty ? ' (uncommitted changes)' : ''}` : 'not a git checkout';
  return [
    `- **Device**: ${escapeMarkdown(device.name)} (\`${escapeMarkdown(device.deviceKey)}\`${device.uuid ? `, device ${device.index ?? 0}, \`${escapeMarkdown(device.uuid)}\`` : ''})`,
    `- **Commit**: ${commit}`,
    comparison.imported
      ? `- **Timing**: by ${escapeMarkdown(comparison.imported.harness)} (${comparison.imported.files.map((f) => escapeMarkdown(f)).join(', ')}); outputs not checked by Ratchet`
      : `- **Timing**: ${timing.clock}, ${timing.warmup} warm-up, L2 flush ${timing.l2Flush ? 'on' : 'off'}, ${timing.launchesPerSample} launch(es) per sample`,
    `- **Thresholds**: regression > +${thresholds.regressionPct}%, improvement < -${thresholds.improvementPct}%, significance α = ${thresholds.alpha}`,
    ...(comparison.relative
      ? [`- **Relative to**: \`${escapeMarkdown(comparison.relative.baseRef)}\` (\`${comparison.relative.baseSha.slice(0, 12)}\`), both builds measured interleaved in this run${aa ? `; **A/A** on ${aa} of ${comparison.results.length}: the same machine code on both sides, so no regression can be reported there` : ''}`]
      : []),
  ];
}

/**
 * Inconclusive benchmarks whose estimate is past the regression threshold: a slowdown that may be
 * real went unjudged, so the run cannot be headed "No regressions".
 */
function undecidedSlower(comparison: Comparison): number {
  return comparison.results.filter((r) => r.verdict === 'inconclusive' && r.changePct !== null && r.changePct > comparison.thresholds.regressionPct).length;
}

/** One line a person reads first: the verdict, the counts, the device and commit, the dashboard. */
function verdictLine(comparison: Comparison, options: MarkdownOptions): string {
  const { counts } = comparison;
  const undecided = counts.regression === 0 && undecidedSlower(comparison) > 0;
  const lead = counts.regression > 0
    ? `❌ **${plural(counts.regression, 'regression')}**`
    : undecided ? `⚠️ **Not judged: ${counts.inconclusive} inconclusive**` : '✅ **No regressions**';
  const verdicts = [...new Set(sections.map((s) => s.verdict))];
  const others = verdicts
    .filter((v) => v !== 'regression' && !(undecided && v === 'inconclusive') && counts[v] > 0)
    .map((v) => (v === 'improvement' ? plural(counts.improvement, 'improvement') : v === 'new' ? newEntriesText(comparison, options.baseline)! : `${counts[v]} ${v}`));
  const at = comparison.git ? ` at \`${comparison.git.sha.slice(0, 12)}\`` : '';
  const dashboard = options.dashboardUrl ? ` · [trends](${encodeURI(options.dashboardUrl)})` : '';
  return `${lead}${others.length ? ` · ${others.join(' · ')}` : ''} — ${plural(comparison.results.length, 'benchmark')} on ${escapeMarkdown(comparison.device.name)}${at}${dashboard}`;
}

const seconds = (ms: number) => `${(ms / 1e3).toFixed(ms < 10e3 ? 1 : 0)} s`;

/**
 * What a relative run cost: benchmarks not measured since both sides run identical code, the time
 * the device was held measuring, and why identical code was measured where it was (one line each).
 */
function costLines(comparison: Comparison): string[] {
  const cost = comparison.relative?.cost;
  if (!cost) return [];
  const measured = cost.benchmarks - cost.skipped;
  const time = `GPU time ${seconds(cost.measureMs)} measuring ${measured} benchmark${measured === 1 ? '' : 's'}${cost.identityMs > 0 ? `, ${seconds(cost.identityMs)} comparing identities` : ''}`;
  const lead = cost.skipped > 0
    ? `⏩ ${cost.skipped} of ${plural(cost.benchmarks, 'benchmark')} not measured: identical code on both sides (the same kernel identity and harness), so unchanged. ${time}.`
    : `⏱️ ${time}.`;
  return ['', lead, ...(cost.notes.length > 0 ? ['', ...cost.notes.map((note) => `- ${escapeMarkdown(note)}`)] : [])];
}

/** Below the regressions: each one's recent trend and how to accept a slower figure on purpose. */
function regressionFollowUp(regressions: BenchmarkComparison[], options: MarkdownOptions): string[] {
  const lines: string[] = [];
  const trends = regressions.filter((r) => (options.trends?.[r.id]?.length ?? 0) > 0 && r.current);
  if (trends.length > 0) {
    lines.push('', 'Median time of the last runs in the history, oldest first (▁ fastest … █ slowest), then this run:', '');
    for (const r of trends) {
      const history = options.trends![r.id]!;
      const line = sparkline([...history, r.current!.median]);
      lines.push(`- ${escapeMarkdown(r.id)}: \`${line.slice(0, -1)}\` → \`${line.slice(-1)}\` ${ms(history.at(-1))} → ${ms(r.current!.median)}`);
    }
  }
  // Ids come from results files: only a plain one goes into a command line to copy.
  const plain = regressions.map((r) => r.id).filter((id) => /^[\w./-]+$/.test(id));
  const ids = plain.length === regressions.length && plain.length <= 3 ? plain.join(' ') : '<benchmark id>';
  lines.push('', `Slower on purpose? Record the figure as the baseline, with the reason kept in \`.ratchet/history.jsonl\`: \`ratchet accept ${ids} --reason "<why>"\` on these results.`);
  return lines;
}

function verdictSections(comparison: Comparison, options: MarkdownOptions): string[] {
  const lines: string[] = [];
  for (const section of sections) {
    const results = comparison.results.filter((r) => r.verdict === section.verdict && (section.holds?.(r, options) ?? true));
    if (results.length === 0) continue;
    const heading = `${icons[section.verdict]} ${section.heading(options, comparison.relative !== undefined, comparison)}`;
    const table = [...glanceHeader, ...results.map(glanceRow)];
    if (section.collapse) lines.push('', `<details><summary>${heading}: ${results.length}</summary>`, '', ...table, '', '</details>');
    else lines.push('', `## ${heading}`, '', ...table);
    if (section.verdict === 'regression') lines.push(...regressionFollowUp(results, options));
  }
  return lines;
}

/**
 * The PR-ready report, laid out for a 760 px comment: the verdict line, then per verdict a table
 * of four narrow columns (verdict, benchmark, change with its CI, p), regressions first with
 * their trend and how to accept them; medians, rates, variants and run settings in <details>.
 */
export function renderMarkdown(comparison: Comparison, options: MarkdownOptions = {}): string {
  const lines = [`# ${escapeMarkdown(options.title ?? 'Performance Ratchet Report')}`, '', verdictLine(comparison, options), ...importedLines(comparison)];
  // Under the verdict, what the gate was (a pull request that changes it), then what the run could catch.
  lines.push(...gateLines(comparison), ...costLines(comparison));
  const sensitivity = sensitivityText(comparison);
  if (sensitivity) lines.push('', `**Sensitivity**: ${sensitivity}.`);
  lines.push(...verdictSections(comparison, options));
  lines.push(
    '',
    '<details><summary>Details: medians, work rates, variants, the smallest slowdown each could catch, why each verdict, how this run was timed</summary>',
    '',
    ...runLines(comparison),
    '',
    '| Benchmark | Baseline | Current | Rate | Variant | Catches | Why |',
    '|---|---|---|---|---|---|---|',
    ...comparison.results.map(detailRow),
    '',
    '</details>',
    '',
  );
  return truncate(lines.join('\n'), options);
}

function truncate(text: string, options: MarkdownOptions): string {
  if (options.maxChars === undefined || text.length <= options.maxChars) return text;
  const note = `\n\n_Report truncated: ${text.length} characters is over the limit._${options.artifactUrl ? ` [Full report](${options.artifactUrl})` : ''}\n`;
  const close = '\n</details>';
  const cut = text.lastIndexOf('\n', options.maxChars - note.length - close.length);
  const kept = text.slice(0, Math.max(cut, 0));
  // A cut inside a <details> block closes it, so the note is not folded away with the rest.
  const open = kept.split('<details>').length - kept.split('</details>').length;
  return kept + (open > 0 ? close : '') + note;
}
