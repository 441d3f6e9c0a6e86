// The text of a device's drift issue (issue 26): what the drift check found on main, each finding
// with the commands that reproduce it. Names come from the run history, so every one is escaped.
import { escapeMarkdown } from '@ratchet/report';
import { driftRecent, driftReference, driftSpreads, type DeviceDrift, type DriftFinding } from '@ratchet/history';
import type { KeptIssue } from '@ratchet/ci';

export const driftLabel = 'ratchet-drift';
export const driftMarker = (deviceKey: string) => `<!-- ratchet-drift: ${deviceKey} -->`;

const ms = (value: number | null) => (value === null ? '—' : `${value.toPrecision(4)} ms`);
const signed = (pct: number | null) => (pct === null ? '—' : `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`);
const short = (commit: string | null) => (commit ? `\`${commit.slice(0, 12)}\`` : 'no commit');
// Only a plain id or commit goes into a command line to copy.
const plain = (text: string | null | undefined): text is string => typeof text === 'string' && /^[\w./-]+$/.test(text);

function reproduce(finding: DriftFinding, deviceName: string): string[] {
  const good = finding.lastGood?.commit;
  const bad = finding.recent.at(-1)?.commit;
  const id = plain(finding.id) ? finding.id : '<benchmark id>';
  if (finding.kind === 'too-little-data') return [];
  const lines = [`On a ${escapeMarkdown(deviceName)} runner (\`ratchet devices\` names it; \`--device <index|uuid>\` picks it):`, '', '```sh'];
  if (plain(good) && plain(bad)) lines.push(`git log --oneline ${good}..${bad}      # what changed between the runs`);
  if (plain(bad)) lines.push(`git checkout ${bad} && pnpm build`);
  lines.push(plain(good) ? `pnpm -s ratchet run --backend cuda --no-ratchet --base ${good} ${id}   # both commits measured interleaved` : `pnpm -s ratchet run --backend cuda --no-ratchet ${id}`);
  lines.push('```');
  return lines;
}

function section(title: string, findings: readonly DriftFinding[], deviceName: string): string[] {
  if (findings.length === 0) return [];
  const lines = ['', `## ${title}`, '', '| Benchmark | Level before | Last runs | Change | Since |', '|---|---|---|---|---|'];
  for (const f of findings) {
    const since = f.lastGood ? `after ${short(f.lastGood.commit)} (${f.lastGood.time.slice(0, 10)})` : '—';
    lines.push(`| ${escapeMarkdown(f.id)} | ${ms(f.levelMs)} | ${f.recent.map((p) => ms(p.medianMs)).join(', ')} | ${signed(f.changePct)} | ${since} |`);
  }
  for (const f of findings) lines.push('', `**${escapeMarkdown(f.id)}**: ${escapeMarkdown(f.why)}.`, ...(reproduce(f, deviceName).length ? ['', ...reproduce(f, deviceName)] : []));
  return lines;
}

/** Whether a device's findings call for its issue to be open: a regression or a suspicious move (too little data alone does not). */
export const needsIssue = (drift: DeviceDrift) => drift.findings.some((f) => f.kind !== 'too-little-data');

/** The device's issue: open with what was found, or null to close it (recovered, or never drifted). */
export function driftIssue(drift: DeviceDrift, options: { regressionPct: number }): KeptIssue {
  const of = (kind: DriftFinding['kind']) => drift.findings.filter((f) => f.kind === kind);
  const counts = [`${of('regression').length} regression(s)`, `${of('suspicious').length} suspicious`, `${of('too-little-data').length} with too little data`].join(' · ');
  const body = [
    `# Drift on ${escapeMarkdown(drift.deviceName)} (\`${escapeMarkdown(drift.deviceKey)}\`)`,
    '',
    `${counts}, over the last ${drift.runs} run(s) on main; the latest at ${short(drift.latest.commit)}, ${drift.latest.time}.`,
    ...section('❌ Regressions', of('regression'), drift.deviceName),
    ...section('⚠️ Suspicious', of('suspicious'), drift.deviceName),
    ...section('❔ Too little data', of('too-little-data'), drift.deviceName),
    '',
    `_How it is judged: each benchmark's medians on main, on this device; a regression is the last ${driftRecent} runs both slower than the median of the ${driftReference} before them by more than the larger of ${options.regressionPct}% and ${driftSpreads} run-to-run spreads. Ratchet updates this issue after every run on main and closes it when every benchmark holds its level (docs/ci.md, "Drift on main")._`,
    '',
  ].join('\n');
  return {
    marker: driftMarker(drift.deviceKey),
    title: `Ratchet: performance drift on ${drift.deviceName} (${drift.deviceKey})`,
    label: driftLabel,
    body: needsIssue(drift) ? body : null,
    closing: `Recovered: at ${short(drift.latest.commit)} (${drift.latest.time}) every benchmark on ${escapeMarkdown(drift.deviceName)} holds its level on main.`,
  };
}
