import { Chalk, type ChalkInstance } from 'chalk';
import { centralMs, reportedCentralMs, reportedCentralName, type BenchmarkComparison, type Comparison, type Device, type RunResult, type Verdict } from '@ratchet/types';
import { newEntriesText, sensitivityText, workRateText } from '@ratchet/report';

/** Where and how the CLI prints. Colour only on a TTY and never when NO_COLOR is set. */
export interface Output {
  color: ChalkInstance;
  quiet: boolean;
  json: boolean;
  isTTY: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Redraws one status line on a TTY; a no-op elsewhere. `null` clears it. */
  progress: (line: string | null) => void;
  /**
   * One item (a benchmark, a peer) has finished. Off a TTY (CI logs), where no status line is
   * drawn, this prints one plain line on stderr, so a long run is never minutes of silence.
   */
  finished: (line: string) => void;
}

export function createOutput(options: { quiet: boolean; json: boolean }, stdout = process.stdout, stderr = process.stderr, env = process.env): Output {
  const isTTY = Boolean(stderr.isTTY);
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = new Chalk({ level: stdout.isTTY && !noColor ? 1 : 0 });
  let drawn = false;
  return {
    color,
    quiet: options.quiet,
    json: options.json,
    isTTY,
    out: (line) => stdout.write(`${line}\n`),
    err: (line) => {
      if (drawn) stderr.write('\r\x1b[2K');
      drawn = false;
      stderr.write(`${line}\n`);
    },
    progress: (line) => {
      if (!isTTY || options.quiet) return;
      stderr.write(`\r\x1b[2K${line ?? ''}`);
      drawn = line !== null;
    },
    finished: (line) => {
      if (isTTY || options.quiet) return;
      stderr.write(`${line}\n`);
    },
  };
}

const verdictStyle: Record<Verdict, { mark: string; paint: (c: ChalkInstance, s: string) => string }> = {
  regression: { mark: '✗', paint: (c, s) => c.red.bold(s) },
  improvement: { mark: '↑', paint: (c, s) => c.green(s) },
  unchanged: { mark: '=', paint: (c, s) => c.dim(s) },
  new: { mark: '+', paint: (c, s) => c.cyan(s) },
  missing: { mark: '?', paint: (c, s) => c.yellow(s) },
  invalid: { mark: '!', paint: (c, s) => c.magenta.bold(s) },
  inconclusive: { mark: '~', paint: (c, s) => c.yellow(s) },
};

export function formatMs(ms: number): string {
  return `${ms.toPrecision(4)} ms`;
}

function signedPct(pct: number): string {
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

export function deviceLine(device: Device): string {
  return `${device.name} [${device.deviceKey}]`;
}

function comparisonLine(color: ChalkInstance, result: BenchmarkComparison): string {
  const style = verdictStyle[result.verdict];
  const verdict = style.paint(color, `${style.mark} ${result.verdict.padEnd(12)}`);
  const figure = centralMs({ summary: result.current, reported: result.reported?.current ?? undefined });
  const current = figure !== null ? formatMs(figure).padStart(12) : ''.padStart(12);
  const ci = result.ratioCi95 ? ` (${signedPct((result.ratioCi95[0] - 1) * 100)}..${signedPct((result.ratioCi95[1] - 1) * 100)})` : result.evidence === 'none' ? ' (no statistics)' : '';
  const change = result.changePct !== null ? `${signedPct(result.changePct)}${ci}` : result.skipped ? 'identical code, not measured' : '';
  return `  ${verdict} ${result.id.padEnd(40)} ${current}  ${change.padEnd(26)} ${workRateText(result) ?? ''}`;
}

/** What a pull request changes in the gate that judged it (relative mode), in one line each; none when nothing. */
export function gateSummary(comparison: Comparison): string[] {
  const gate = comparison.relative?.gate;
  if (!gate) return [];
  const whose = { base: `the base's config (${comparison.relative!.baseSha.slice(0, 12)})`, defaults: 'the defaults (the base has no config)', head: "this checkout's config (the base's could not be read)" }[gate.judgedWith];
  const lines = [
    ...gate.thresholds.map((t) => `gate: thresholds.${t.key} ${t.base ?? 'unset'} -> ${t.head ?? 'unset'} in this checkout${t.looser ? ' (looser)' : ''}: judged at ${t.base ?? 'unset'}`),
    ...gate.removed.map((r) => `gate: ${r.id} is removed from the suite: ${r.measured ? 'measured and judged all the same' : `not measured (${r.reason ?? 'the head cannot run it'})`}`),
    ...(gate.changed.length > 0 ? [`gate: ${gate.changed.join(', ')} changed in this checkout: the base's used`] : []),
  ];
  if (lines.length === 0 && gate.judgedWith === 'base') return [];
  return [`judged with ${whose}, not this checkout's`, ...lines];
}

/** Who timed an imported run: said first, with what Ratchet did not do. */
function importedLine(imported: RunResult['imported']): string | null {
  return imported ? `timed by ${imported.harness}${imported.harnessVersion ? ` ${imported.harnessVersion}` : ''} (--from ${imported.format}): outputs not checked by Ratchet` : null;
}

/** What a relative run cost: the benchmarks not measured, the GPU time, why identical code was measured. */
export function costSummary(comparison: Comparison): string[] {
  const cost = comparison.relative?.cost;
  if (!cost) return [];
  const measured = cost.benchmarks - cost.skipped;
  const skipped = cost.skipped > 0 ? `${cost.skipped} of ${cost.benchmarks} not measured (identical code on both sides); ` : '';
  const identity = cost.identityMs > 0 ? `, ${(cost.identityMs / 1e3).toFixed(1)} s comparing identities` : '';
  return [`cost: ${skipped}GPU time ${(cost.measureMs / 1e3).toFixed(1)} s measuring ${measured}${identity}`, ...cost.notes.map((note) => `cost: ${note}`)];
}

/**
 * The coloured summary of a judged run: one line per benchmark, then the counts. `baseline` is
 * what the run did to the baseline (`updated`: new benchmarks are said stored or not, and why).
 */
export function printComparison(output: Output, comparison: Comparison, reportPath: string | null, baseline?: 'updated' | 'kept'): void {
  const { color } = output;
  if (!output.quiet) {
    output.out(color.bold(`ratchet: ${deviceLine(comparison.device)}, ${importedLine(comparison.imported) ?? comparison.timing.clock}`));
    for (const result of comparison.results) output.out(comparisonLine(color, result));
  }
  // What a pull request did to the gate is never folded away, --quiet included.
  for (const line of gateSummary(comparison)) output.out(color.yellow(line));
  if (!output.quiet) for (const line of costSummary(comparison)) output.out(line);
  const { counts } = comparison;
  const parts = (Object.keys(counts) as Verdict[])
    .filter((verdict) => counts[verdict] > 0)
    .map((verdict) => verdictStyle[verdict].paint(color, verdict === 'new' ? newEntriesText(comparison, baseline)! : `${counts[verdict]} ${verdict}`));
  const where = reportPath ? ` · report: ${reportPath}` : '';
  output.out(`${parts.join(', ') || 'nothing measured'}${where}`);
  const sensitivity = sensitivityText(comparison);
  if (sensitivity && !output.quiet) output.out(`sensitivity: ${sensitivity}`);
}

/** `ratchet bench`: the measurements alone, no verdicts. */
export function printRun(output: Output, result: RunResult): void {
  if (output.quiet) return;
  const { color } = output;
  output.out(color.bold(`ratchet: ${deviceLine(result.device)}, ${importedLine(result.imported) ?? result.timing.clock}`));
  for (const m of result.measurements) {
    if (m.status === 'ok' && m.reported) {
      const n = m.reported.kind === 'single' ? '' : `  n=${m.reported.n}`;
      output.out(`  ${m.id.padEnd(40)} ${formatMs(reportedCentralMs(m.reported)).padStart(12)}  (${reportedCentralName(m.reported)}, no samples)${n}`);
      continue;
    }
    if (m.status === 'invalid' || !m.summary) {
      output.out(`  ${color.magenta.bold('! invalid')}  ${m.id}  ${m.correctness?.detail ?? ''}`);
      continue;
    }
    const ci = m.summary.ci95Median;
    output.out(
      `  ${m.id.padEnd(40)} ${formatMs(m.summary.median).padStart(12)}  [${ci[0].toPrecision(4)}, ${ci[1].toPrecision(4)}]  n=${String(m.summary.n).padEnd(5)} ${workRateText(m) ?? ''}`,
    );
  }
}
