import type { CalibrationRow, Thresholds } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * `ratchet calibrate` as markdown: per benchmark the A/A false-alarm rate and noise floor, then
 * the detection rate of each injected slowdown. A threshold under the noise floor is flagged.
 */
export function renderCalibrationMarkdown(deviceName: string, thresholds: Thresholds, rows: readonly CalibrationRow[], suiteFalseAlarmRate: number): string {
  const slowdowns = rows[0]?.sensitivity.map((s) => s.slowdownPct) ?? [];
  const lines = [
    `# Calibration: ${escapeMarkdown(deviceName)}`,
    '',
    `Thresholds: regression > +${thresholds.regressionPct}%, α = ${thresholds.alpha}. Suite-wide A/A false-alarm rate (any benchmark flagged in one run): **${pct(suiteFalseAlarmRate)}**.`,
    '',
    `| Benchmark | A/A trials | false alarms | inconclusive | noise floor (95% CI half-width) | ${slowdowns.map((s) => `+${s}% detected`).join(' | ')} | smallest ≥95% |`,
    `|---|---|---|---|---|${slowdowns.map(() => '---|').join('')}---|`,
  ];
  for (const row of rows) {
    const noise = `${row.noiseFloorPct.toFixed(2)}%${row.thresholdBelowNoise ? ' ⚠️ above the threshold' : ''}`;
    const detection = row.sensitivity.map((s) => `${pct(s.rate)} (measured +${s.measuredSlowdownPct.toFixed(1)}%)`);
    lines.push(
      `| ${escapeMarkdown(row.id)} | ${row.trials} | ${row.verdicts.regression} (${pct(row.falseAlarmRate)}) | ${row.verdicts.inconclusive} | ${noise} | ${detection.join(' | ')} | ${row.smallestReliablePct === null ? 'none tried' : `${row.smallestReliablePct}%`} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
