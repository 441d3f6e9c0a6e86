// The budget aims at the threshold: each comparison is sampled until it could catch a slowdown of
// twice the threshold it is judged at (its minimum detectable change at its level in the run, as
// @ratchet/baseline states it on the verdict, at 1.9x: stopInside), or until the configured cap.
// Nothing stops earlier than the CI target of the budget asks: the aim only keeps a comparison going that the target
// would have stopped short of being able to decide, as a 16-benchmark pull request's level needs
// more turns than a lone benchmark's (14 at the least, against 12 the target alone took).
import { aimMultiple, detectableLog } from '@ratchet/baseline';
import { estimateMedian, resolutionOf, testFloor, type TwoSampleComparison } from '@ratchet/stats';
import type { Thresholds } from '@ratchet/types';

/** What a comparison is sampled to catch. */
export interface SensitivityAim {
  /** The regression threshold it is judged at, percent. */
  regressionPct: number;
  /** The two-sided level a lone regression is judged at: alpha / looks / benchmarks in the run (Holm's first step). */
  level: number;
  /**
   * Across runs: the run-to-run spread assumed (Thresholds.runToRunPct), percent. A side measured
   * alone is then sampled for the cross-run estimate to land past the threshold (the confirmation
   * rule), the stored side taken as precise as this one.
   */
  runToRunPct?: number;
}

/** The aim of a run of `benchmarks` comparisons judged at `regressionPct`, looking `looks` times at alpha. */
export function aimFor(thresholds: Thresholds, regressionPct: number, benchmarks: number, looks: number, runToRunPct?: number): SensitivityAim {
  const level = thresholds.alpha / Math.max(looks, 1) / ((thresholds.suiteControl ?? 'holm') === 'none' ? 1 : Math.max(benchmarks, 1));
  return { regressionPct, level, ...(runToRunPct ? { runToRunPct } : {}) };
}

/**
 * Where sampling stops: the minimum detectable change this far into the aim's excess over the
 * threshold (1.9x the threshold for an aim of 2x). The change is estimated from the comparison's own
 * spread, and one stopped the moment it crossed 2x would catch 2x only 95% of the time, so a
 * noisy estimate of it fell short: in `pnpm bench:stats`, 95-98% at 2x on per-batch offsets and
 * AR(1) 0.6. At 1.9x it catches 2x 98% of the time at a 16-benchmark level, for ~23% more samples
 * where the aim binds.
 */
const stopInside = 0.9;

/** ln of the ratio where sampling stops: 1.9x the threshold. */
function aimLog(aim: SensitivityAim): number {
  return Math.log1p((aim.regressionPct * (1 + stopInside * (aimMultiple - 1))) / 100);
}

/** Sides measured together, turn by turn: their comparison could catch twice the threshold at the level. */
export function pairedMeetsAim(c: TwoSampleComparison, aim: SensitivityAim): boolean {
  if (testFloor(c) >= aim.level / 2) return false;
  return detectableLog(c, Math.log1p(aim.regressionPct / 100), aim.level, 'interval') <= aimLog(aim);
}

/**
 * A side measured alone for a cross-run comparison: the estimate of its ratio to a stored side as
 * precise would land past the threshold 95% of the time at twice it. Met at once where the
 * run-to-run spread alone forbids it (no amount of sampling can reach it; the cap would be spent
 * for nothing), and where no spread is assumed (no aim across runs).
 */
export function sideMeetsAim(sortedMs: Float64Array, autocorrelation: number, aim: SensitivityAim): boolean {
  if (!aim.runToRunPct) return true;
  const runToRunVariance = 2 * (aim.runToRunPct / 100) ** 2;
  const threshold = Math.log1p(aim.regressionPct / 100);
  if (detectableLog({ seLog: Math.sqrt(runToRunVariance), tickBoundLog: 0 }, threshold, aim.level, 'confirmation') > aimLog(aim)) return true;
  const side = estimateMedian(sortedMs, autocorrelation, resolutionOf(sortedMs));
  const spread = { seLog: Math.sqrt(2 * side.seLog ** 2 + runToRunVariance), tickBoundLog: 2 * side.tickBoundLog };
  return detectableLog(spread, threshold, aim.level, 'confirmation') <= aimLog(aim);
}
