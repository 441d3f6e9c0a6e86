import { reportedCentralMs, reportedCentralName, type BenchmarkComparison, type Comparison, type ReportedStatistics, type Summary } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

const ms = (value: number) => `${value.toPrecision(4)} ms`;

function reportedText(stats: ReportedStatistics): string {
  const n = stats.kind === 'single' ? '' : `, n=${stats.n}`;
  return `${ms(reportedCentralMs(stats))} (${escapeMarkdown(reportedCentralName(stats))}${n})`;
}

/** One side's figure in the details table: its samples' median, or what its harness reported (and which statistic it is). */
export function sideFigure(summary: Summary | null, reported: ReportedStatistics | null | undefined): string {
  if (summary) return ms(summary.median);
  return reported ? reportedText(reported) : '—';
}

/** The figure of each side of a result, as the details table shows them. */
export function figures(result: BenchmarkComparison): { baseline: string; current: string } {
  return { baseline: sideFigure(result.baseline, result.reported?.baseline), current: sideFigure(result.current, result.reported?.current) };
}

/** After the change, what it rests on when less than samples: a summary-based test, or no statistics at all. */
export function evidenceNote(result: BenchmarkComparison): string {
  if (result.evidence === 'none') return ' (no statistics)';
  if (result.evidence === 'summary') return ' (summary-based)';
  return '';
}

/**
 * Under the verdict line of an imported run: which harness timed it, and that Ratchet checked no
 * output of it; how many verdicts rest on summaries or on one number a side.
 */
export function importedLines(comparison: Comparison): string[] {
  const imported = comparison.imported;
  const summary = comparison.results.filter((r) => r.evidence === 'summary').length;
  const none = comparison.results.filter((r) => r.evidence === 'none').length;
  if (!imported && summary + none === 0) return [];
  const lines: string[] = [];
  if (imported) {
    const version = imported.harnessVersion ? ` ${escapeMarkdown(imported.harnessVersion)}` : '';
    const runs = imported.runs ? `, run ${imported.runs} times by Ratchet` : '';
    lines.push(`**Imported** from ${escapeMarkdown(imported.harness)}${version} (\`--from ${imported.format}\`${runs}): timed by the harness; its outputs are **not checked by Ratchet**.`);
  }
  if (summary > 0) lines.push(`${summary} verdict${summary === 1 ? '' : 's'} from the harness's statistics alone (summary-based test, no samples): the reason names the test.`);
  if (none > 0) lines.push(`${none} verdict${none === 1 ? '' : 's'} with **no statistics** (one number a side): a threshold check only, which cannot tell a change from noise.`);
  return ['', ...lines.map((line, i) => (i < lines.length - 1 ? `${line}  ` : line))];
}
