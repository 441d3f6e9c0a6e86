import type { SotaPeerCell, SotaTable } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

function ms(value: number): string {
  return value.toPrecision(4);
}

/** TFLOP/s with 3 significant digits below 100, so CPU figures (0.0213) do not print as 0.0. */
export function tflopsText(tflops: number): string {
  return tflops >= 100 ? tflops.toFixed(0) : tflops.toPrecision(3);
}

function pct(fraction: number | null): string {
  return fraction === null ? 'n/a' : `${(fraction * 100).toFixed(1)}%`;
}

function speedup(cell: Extract<SotaPeerCell, { status: 'ok' }>): string {
  if (!Number.isFinite(cell.ourSpeedup)) return 'n/a';
  const [low, high] = cell.ourSpeedupCi95;
  return `${cell.ourSpeedup.toFixed(2)}x (${low.toFixed(2)}..${high.toFixed(2)})`;
}

function peerColumns(cell: SotaPeerCell | undefined): string[] {
  if (!cell) return ['', '', '', ''];
  if (cell.status !== 'ok') return [`${cell.status}: ${escapeMarkdown(cell.reason).slice(0, 80)}`, '', '', ''];
  const agreement = cell.checksumRelDiff === null ? 'n/a' : cell.checksumRelDiff.toExponential(1);
  return [`${ms(cell.medianMs)} ms`, tflopsText(cell.tflops), speedup(cell), agreement];
}

/**
 * Ours against each peer: one row per benchmark; per peer its median, TFLOP/s and our speed-up
 * (their time / ours, with the 95% CI of that ratio: above 1 we are faster).
 */
export function renderSotaMarkdown(table: SotaTable): string {
  const peers = table.peers.map((p) => p.name);
  const lines = [
    `# Ours vs the state of the art`,
    '',
    `Device: ${escapeMarkdown(table.device.name)} (\`${escapeMarkdown(table.device.deviceKey)}\`), ${table.device.peakTflops === null ? 'peak unknown' : `peak ${table.device.peakTflops} TFLOP/s dense fp16`}. Same ${table.device.backend === 'cpu' ? 'CPU' : 'GPU'}, same session, same inputs.`,
    '',
  ];
  for (const peer of table.peers) {
    const what = peer.status === 'ok' ? `ran${peer.software ? ` (${escapeMarkdown(peer.software)})` : ''}` : `${peer.status}: ${escapeMarkdown(peer.reason ?? '')}`;
    lines.push(`- peer \`${escapeMarkdown(peer.name)}\` ${what}`);
  }
  lines.push('');
  const header = ['Benchmark', 'Ours', 'TFLOP/s', 'of peak', ...peers.flatMap((p) => [escapeMarkdown(p), 'TFLOP/s', 'our speed-up (95% CI)', 'output Δ'])];
  lines.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
  for (const row of table.rows) {
    const ours = row.ours ? [`${ms(row.ours.medianMs)} ms`, tflopsText(row.ours.tflops), pct(row.ours.peakFraction)] : ['invalid', '', ''];
    const cells = [escapeMarkdown(row.id), ...ours, ...peers.flatMap((p) => peerColumns(row.peers[p]))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    'Speed-up above 1.00x: ours is faster than that peer; below: slower. Output Δ: |our output sum - theirs| / their sum of |x| on the same inputs (same seed of the shared generator): both kernels computing the same function gives ~1e-4 or less.',
    '',
  );
  return lines.join('\n');
}
