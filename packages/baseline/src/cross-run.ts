import type { Interval, Thresholds, Verdict } from '@ratchet/types';
import type { Evidence } from './evidence.js';
import { regressionLimitLog, unconfirmableSpreads } from './sensitivity.js';

/**
 * How a cross-run comparison (this run against a stored entry, not paired turn by turn) reaches a
 * regression. `confirmation`: a change whose estimate is past the threshold is measured again,
 * interleaved against a build of the entry's commit, and that decides (@ratchet/core pipeline).
 * `unconfirmable`: there is no such build (`why`: no commit recorded, no checkout, a failed
 * build); the change fails only when its whole CI is past the threshold plus
 * unconfirmableSpreads run-to-run spreads, far past any drift between the runs.
 */
export type CrossRun = { rule: 'confirmation' } | { rule: 'unconfirmable'; why: string };

const pct = (ratio: number) => `+${((ratio - 1) * 100).toFixed(1)}%`;

/**
 * An unconfirmable change read against the stricter limit: a regression past it stays one, a
 * regression short of it is inconclusive, and anything else past the threshold says why it was
 * not measured again.
 */
export function unconfirmableReading(
  e: Evidence,
  ci: Interval,
  reading: { verdict: Verdict; why: string },
  thresholds: Thresholds,
  why: string,
): { verdict: Verdict; why: string } {
  const limit = Math.exp(regressionLimitLog(e, 'unconfirmable'));
  const spread = e.runToRun?.pct ?? 0;
  const rule = `the ${thresholds.regressionPct}% threshold plus ${unconfirmableSpreads} run-to-run spreads of ${spread.toFixed(1)}%: ${pct(limit)}`;
  if (reading.verdict === 'regression') {
    if (ci[0] > limit) return { verdict: 'regression', why: `${reading.why}; not confirmed (${why}), but the whole CI is past ${rule}, far past any drift between runs` };
    return { verdict: 'inconclusive', why: `${reading.why}, but not confirmed: ${why}; unconfirmed, a change fails only with its whole CI past ${rule}` };
  }
  if (reading.verdict === 'inconclusive' && e.time.ratio > e.slower) return { verdict: 'inconclusive', why: `${reading.why}; cannot be confirmed: ${why}` };
  return reading;
}
