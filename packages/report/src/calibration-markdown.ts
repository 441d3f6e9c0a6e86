import type { CalibrationRow, SensitivityRow, Thresholds } from '@ratchet/types';
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

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}%`;
const mdcText = (mdc: number | null | undefined) => (mdc === undefined ? '—' : mdc === null ? 'none' : `+${mdc.toFixed(2)}%`);

/** One injected slowdown's cell: detection at the size that landed, the wait's correction, and whether the stated sensitivity held. */
function detectionCell(s: SensitivityRow): string {
  const wait = s.waitScale ? `, wait x${s.waitScale.toFixed(2)}` : '';
  const held = s.statedHolds === true ? ' ✓' : s.statedHolds === false ? ' ✗ under the stated' : '';
  return `${pct(s.rate)} at ${signed(s.measuredSlowdownPct)} landed${wait}${held}`;
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
    `| Benchmark | A/A trials | false alarms | inconclusive | noise floor (95% CI half-width) | stated MDC | ${slowdowns.map((s) => `+${s}% asked: detected`).join(' | ')} | smallest ≥95% (landed) |`,
    `|---|---|---|---|---|---|${slowdowns.map(() => '---|').join('')}---|`,
  ];
  for (const row of at.rows) {
    const noise = `${row.noiseFloorPct.toFixed(2)}%${row.thresholdBelowNoise ? ' ⚠️ above the threshold' : ''}`;
    const reliable = row.smallestReliablePct === null ? 'none tried' : `${row.smallestReliablePct}% (${signed(row.smallestReliableLandedPct ?? Number.NaN)})`;
    lines.push(
      `| ${escapeMarkdown(row.id)} | ${row.trials} | ${row.verdicts.regression} (${pct(row.falseAlarmRate)}) | ${row.verdicts.inconclusive} | ${noise} | ${mdcText(row.mdcPct)} | ${row.sensitivity.map(detectionCell).join(' | ')} | ${reliable} |`,
    );
  }
  const claimed = at.rows.flatMap((row) => row.sensitivity.filter((s) => s.statedHolds !== null && s.statedHolds !== undefined));
  if (claimed.length > 0) {
    const held = claimed.filter((s) => s.statedHolds).length;
    lines.push('', `Stated sensitivity (the minimum detectable change each verdict states, 95% detection): held on ${held} of the ${claimed.length} injected slowdowns that landed at or past it (✓ held, ✗ caught less often than 95% allows at these trials).`);
  }
  lines.push('', `Detection is at the slowdown that landed (the median of its trials): each wait is scaled by at most x0.8-x1.25 to land near the size asked, from one probe and only when that probe is precise to a tenth of the size, and reported where it landed.`);
  const missed = at.rows.flatMap((row) => row.sensitivity.flatMap((s) => (s.missed ?? []).map((reason) => `- ${escapeMarkdown(row.id)} +${s.slowdownPct}%: ${escapeMarkdown(reason)}`)));
  if (missed.length) lines.push('', '<details><summary>Missed detections (first few per slowdown)</summary>', '', ...missed, '', '</details>');
  return lines;
}

/**
 * `ratchet calibrate` as markdown: per threshold and benchmark the A/A false-alarm rate, noise
 * floor and stated minimum detectable change, then the detection rate of each injected slowdown at
 * the size that landed, checked against the stated change. A threshold under the noise floor is
 * flagged; missed detections are listed with their verdict's reason.
 */
export function renderCalibrationMarkdown(deviceName: string, thresholds: Thresholds, results: readonly CalibrationAtThreshold[]): string {
  const lines = [`# Calibration: ${escapeMarkdown(deviceName)}`, '', `Improvement threshold ${thresholds.improvementPct}%, α = ${thresholds.alpha}; the same sample sets judged at each regression threshold.`];
  for (const at of results) lines.push('', `## Regression > +${at.regressionPct}%`, '', ...table(at));
  lines.push('');
  return lines.join('\n');
}
