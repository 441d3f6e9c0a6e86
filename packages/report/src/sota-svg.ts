import type { SotaTable } from '@ratchet/types';
import { tflopsText } from './sota-markdown.js';

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const rowHeight = 14;
const groupGap = 12;
const labelWidth = 300;
const plotWidth = 460;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * A horizontal bar chart of TFLOP/s, one group per benchmark, one bar for ours and one per peer
 * that ran it. Plain SVG, no fonts or scripts, so it renders in a PR comment and a browser alike.
 */
export function renderSotaSvg(table: SotaTable): string {
  const series = ['ours', ...table.peers.map((p) => p.name)];
  const groups = table.rows.map((row) => ({
    id: row.id,
    bars: series.map((name) => {
      if (name === 'ours') return row.ours?.tflops ?? null;
      const cell = row.peers[name];
      return cell && cell.status === 'ok' ? cell.tflops : null;
    }),
  }));
  const maxTflops = Math.max(1, ...groups.flatMap((g) => g.bars.filter((v): v is number => v !== null)));
  const legendHeight = 20 + series.length * 16;
  const height = legendHeight + groups.length * (series.length * rowHeight + groupGap) + 30;
  const width = labelWidth + plotWidth + 80;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="14" font-size="13" font-weight="bold">TFLOP/s on ${escapeXml(table.device.name)} (higher is better)</text>`,
  ];
  series.forEach((name, i) => {
    const y = 24 + i * 16;
    parts.push(`<rect x="10" y="${y}" width="12" height="10" fill="${palette[i % palette.length]}"/>`);
    parts.push(`<text x="28" y="${y + 9}">${escapeXml(name)}</text>`);
  });
  let y = legendHeight;
  for (const group of groups) {
    parts.push(`<text x="${labelWidth - 6}" y="${y + (series.length * rowHeight) / 2 + 4}" text-anchor="end">${escapeXml(group.id)}</text>`);
    group.bars.forEach((tflops, i) => {
      const barY = y + i * rowHeight;
      if (tflops === null) {
        parts.push(`<text x="${labelWidth + 4}" y="${barY + 10}" fill="#888">n/a</text>`);
        return;
      }
      const barWidth = (tflops / maxTflops) * plotWidth;
      parts.push(`<rect x="${labelWidth}" y="${barY + 1}" width="${barWidth.toFixed(1)}" height="${rowHeight - 2}" fill="${palette[i % palette.length]}"/>`);
      parts.push(`<text x="${(labelWidth + barWidth + 4).toFixed(1)}" y="${barY + 10}">${tflopsText(tflops)}</text>`);
    });
    y += series.length * rowHeight + groupGap;
  }
  parts.push('</svg>', '');
  return parts.join('\n');
}
