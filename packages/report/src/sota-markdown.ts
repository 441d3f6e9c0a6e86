import type { SotaPeerCell, SotaRow, SotaTable } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

type OkCell = Extract<SotaPeerCell, { status: 'ok' }>;

const ms = (value: number) => value.toPrecision(4);
const pct = (fraction: number | null) => (fraction === null ? 'n/a' : `${(fraction * 100).toFixed(1)}%`);
const times = (x: number) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;

/** TFLOP/s with 3 significant digits below 100, so CPU figures (0.0213) do not print as 0.0. */
export function tflopsText(tflops: number): string {
  return tflops >= 100 ? tflops.toFixed(0) : tflops.toPrecision(3);
}

/** The part of the peers' names they all share (`torch-sdpa/`), so columns can drop it. */
export function commonPrefix(names: readonly string[]): string {
  if (names.length < 2) return '';
  let prefix = names[0]!.slice(0, names[0]!.lastIndexOf('/') + 1);
  while (prefix && !names.every((n) => n.startsWith(prefix) && n.length > prefix.length)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  return prefix;
}

/** Our speed-up over one peer, with `≈` when its 95% CI includes 1 (no real difference). */
function speedupCell(cell: SotaPeerCell | undefined): string {
  if (!cell) return '';
  if (cell.status !== 'ok') return cell.status;
  if (!Number.isFinite(cell.ourSpeedup)) return 'n/a';
  const [low, high] = cell.ourSpeedupCi95;
  return low > 1 || high < 1 ? times(cell.ourSpeedup) : `≈ ${times(cell.ourSpeedup)}`;
}

function glanceTable(table: SotaTable, prefix: string): string[] {
  const peers = table.peers.map((p) => p.name);
  const header = ['Benchmark', 'Ours', ...peers.map((p) => escapeMarkdown(p.slice(prefix.length)))];
  const rows = table.rows.map((row) => {
    const ours = row.ours ? `${ms(row.ours.medianMs)} ms` : 'invalid';
    return `| ${[escapeMarkdown(row.id), ours, ...peers.map((p) => speedupCell(row.peers[p]))].join(' | ')} |`;
  });
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows];
}

function peerDetailRow(row: SotaRow, cell: SotaPeerCell | undefined): string {
  if (!cell) return `| ${escapeMarkdown(row.id)} | not run | | | | |`;
  if (cell.status !== 'ok') return `| ${escapeMarkdown(row.id)} | ${cell.status}: ${escapeMarkdown(cell.reason).slice(0, 120)} | | | | |`;
  const ok = cell as OkCell;
  const [low, high] = ok.ourSpeedupCi95;
  const speedup = Number.isFinite(ok.ourSpeedup) ? `${times(ok.ourSpeedup)} (${low.toFixed(2)} … ${high.toFixed(2)})` : 'n/a (ours invalid)';
  const agreement = ok.checksumRelDiff === null ? 'n/a' : ok.checksumRelDiff.toExponential(1);
  return `| ${escapeMarkdown(row.id)} | ${ms(ok.medianMs)} ms (${ms(ok.ci95MedianMs[0])} … ${ms(ok.ci95MedianMs[1])}) | ${tflopsText(ok.tflops)} | ${pct(ok.peakFraction)} | ${speedup} | ${agreement} |`;
}

function details(table: SotaTable): string[] {
  const lines = ['<details><summary>Details: medians with their CIs, TFLOP/s, fraction of peak, output agreement, per peer</summary>', ''];
  lines.push('#### ours', '', '| Benchmark | Median (95% CI) | TFLOP/s | of peak |', '|---|---|---|---|');
  for (const row of table.rows) {
    const o = row.ours;
    lines.push(o ? `| ${escapeMarkdown(row.id)} | ${ms(o.medianMs)} ms (${ms(o.ci95MedianMs[0])} … ${ms(o.ci95MedianMs[1])}) | ${tflopsText(o.tflops)} | ${pct(o.peakFraction)} |` : `| ${escapeMarkdown(row.id)} | invalid: failed its correctness check | | |`);
  }
  for (const peer of table.peers) {
    lines.push('', `#### ${escapeMarkdown(peer.name)}`, '', '| Benchmark | Median (95% CI) | TFLOP/s | of peak | our speed-up (95% CI) | output Δ |', '|---|---|---|---|---|---|');
    lines.push(...table.rows.map((row) => peerDetailRow(row, row.peers[peer.name])));
  }
  lines.push(
    '',
    'Output Δ: |our output sum - theirs| / their sum of |x| on the same inputs (same seed of the shared generator): both kernels computing the same function gives ~1e-4 or less.',
    '',
    '</details>',
  );
  return lines;
}

/**
 * Ours against each peer at a glance: one compact table, a row per benchmark, our median and
 * our speed-up over each peer (their time / ours: above 1 we are faster; `≈` where the 95% CI
 * includes 1); every figure behind it in <details> below.
 */
export function renderSotaMarkdown(table: SotaTable): string {
  const prefix = commonPrefix(table.peers.map((p) => p.name));
  const lines = [
    `# Ours vs the state of the art`,
    '',
    `${escapeMarkdown(table.device.name)} (\`${escapeMarkdown(table.device.deviceKey)}\`), ${table.createdAt.slice(0, 10)}, ${table.device.peakTflops === null ? 'peak unknown' : `peak ${table.device.peakTflops.toFixed(0)} TFLOP/s dense fp16`}. Same ${table.device.backend === 'cpu' ? 'CPU' : 'GPU'}, same session, same inputs. Our speed-up over each ${prefix ? `\`${escapeMarkdown(prefix)}\` ` : ''}peer (their time / ours: above 1.00× we are faster; ≈ where the 95% CI includes 1):`,
    '',
    ...glanceTable(table, prefix),
    '',
  ];
  for (const peer of table.peers) {
    const what = peer.status === 'ok' ? `ran${peer.software ? ` (${escapeMarkdown(peer.software)})` : ''}` : `${peer.status}: ${escapeMarkdown(peer.reason ?? '')}`;
    lines.push(`- \`${escapeMarkdown(peer.name)}\` ${what}`);
  }
  lines.push('', ...details(table), '');
  return lines.join('\n');
}
