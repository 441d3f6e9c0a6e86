import type { CalibrationRow, Thresholds } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The rows of one regression threshold, with the suite-wide A/A false-alarm rate they give. */
export interface CalibrationAtThreshold {
  regressionPct: number;
  /** Benchmarks of the pull request each comparison was judged in (more than the rows when calibrated in parts). */
  suiteSize: number;
  suiteFalseAlarmRate: number;
  rows: readonly CalibrationRow[];
}

function table(at: CalibrationAtThreshold): string[] {
  const slowdowns = at.rows[0]?.sensitivity.map((s) => s.slowdownPct) ?? [];
  const others = at.suiteSize - at.rows.length;
  const judgedAs = others > 0
    ? `Judged as pull requests of ${at.suiteSize} benchmarks: these ${at.rows.length} and ${others} more taken as unchanged (a suite calibrated in parts).`
    : `Judged as pull requests of ${at.suiteSize} benchmarks.`;
  const lines = [
    judgedAs,
    `Suite-wide A/A false-alarm rate (any of these benchmarks flagged in one run): **${pct(at.suiteFalseAlarmRate)}**.`,
    '',
    `| Benchmark | A/A trials | false alarms | inconclusive | noise floor (95% CI half-width) | ${slowdowns.map((s) => `+${s}% detected`).join(' | ')} | smallest ≥95% |`,
    `|---|---|---|---|---|${slowdowns.map(() => '---|').join('')}---|`,
  ];
  for (const row of at.rows) {
    const noise = `${row.noiseFloorPct.toFixed(2)}%${row.thresholdBelowNoise ? ' ⚠️ above the threshold' : ''}`;
    const detection = row.sensitivity.map((s) => `${pct(s.rate)} (measured +${s.measuredSlowdownPct.toFixed(1)}%${s.waitScale ? `, wait x${s.waitScale.toFixed(2)}` : ''})`);
    lines.push(
      `| ${escapeMarkdown(row.id)} | ${row.trials} | ${row.verdicts.regression} (${pct(row.falseAlarmRate)}) | ${row.verdicts.inconclusive} | ${noise} | ${detection.join(' | ')} | ${row.smallestReliablePct === null ? 'none tried' : `${row.smallestReliablePct}%`} |`,
    );
  }
  const missed = at.rows.flatMap((row) => row.sensitivity.flatMap((s) => (s.missed ?? []).map((reason) => `- ${escapeMarkdown(row.id)} +${s.slowdownPct}%: ${escapeMarkdown(reason)}`)));
  if (missed.length) lines.push('', '<details><summary>Missed detections (first few per slowdown)</summary>', '', ...missed, '', '</details>');
  return lines;
}

/**
 * `ratchet calibrate` as markdown: per threshold and benchmark the A/A false-alarm rate and noise
 * floor, then the detection rate of each injected slowdown. A threshold under the noise floor is
 * flagged; missed detections are listed with their verdict's reason.
 */
export function renderCalibrationMarkdown(deviceName: string, thresholds: Thresholds, results: readonly CalibrationAtThreshold[]): string {
  const lines = [`# Calibration: ${escapeMarkdown(deviceName)}`, '', `Improvement threshold ${thresholds.improvementPct}%, α = ${thresholds.alpha}; the same sample sets judged at each regression threshold.`];
  for (const at of results) lines.push('', `## Regression > +${at.regressionPct}%`, '', ...table(at));
  lines.push('');
  return lines.join('\n');
}
