import { compareSamples, compareTurnByTurn, normalSurvival, type TwoSampleComparison } from '@ratchet/stats';
import type { BaselineEntry, Measurement, Thresholds } from '@ratchet/types';
import { entrySamples } from './digest.js';
import { runToRunVariance, type RunToRun } from './run-to-run.js';

/**
 * Below this many independent samples on a side no verdict is given: it is the smallest count
 * with a distribution-free 95% CI of the median at all (medianCiRank), and at 2-4 samples the
 * ratio's CI covered only 57-92% of the time.
 */
export const minEffectiveSamples = 6;

/** What the samples of one benchmark say, before the level it is judged at is known. */
export interface Evidence {
  time: TwoSampleComparison;
  /** Added to the variance of ln(ratio) across runs; null in same-session comparisons. */
  runToRun: RunToRun | null;
  /** The verdict's limits as ratios: slower past `slower` is a regression, faster past `faster` an improvement. */
  slower: number;
  faster: number;
  /**
   * One-sided p-value of "slower past the threshold": the larger of the threshold test's (is the
   * ratio past `slower`?) and Mann-Whitney's (is it slower at all?). Both must reject, so the
   * larger p decides (an intersection-union test, exact at its level without adjustment).
   */
  pRegression: number;
  /** The same for "faster past the improvement threshold". */
  pImprovement: number;
  /** Why no verdict can rest on these samples (too few), or null. */
  tooFew: string | null;
}

/** The spread of ln(ratio) the verdict uses: the samples' and, across runs, the runs'. */
export function totalSeLog(e: Pick<Evidence, 'time' | 'runToRun'>): number {
  return Math.sqrt(e.time.seLog ** 2 + (e.runToRun?.varianceLog ?? 0));
}

/** P(a ratio this far past `limit` | the true ratio at `limit`), one-sided, tick bound given away. */
function pastLimit(e: Pick<Evidence, 'time' | 'runToRun'>, distanceLog: number): number {
  const se = totalSeLog(e);
  const margin = distanceLog - e.time.tickBoundLog;
  if (se === 0) return margin > 0 ? 0 : 1;
  return normalSurvival(margin / se);
}

function tooFewSamples(time: TwoSampleComparison): string | null {
  const paired = time.paired;
  if (paired) {
    if (paired.effectiveTurns >= minEffectiveSamples) return null;
    if (paired.turns < minEffectiveSamples) return `too few turns to judge: ${paired.turns} paired (a verdict needs ${minEffectiveSamples})`;
    return `too few independent turns: ${paired.turns} paired, worth ${paired.effectiveTurns.toFixed(1)} at lag-1 autocorrelation ${paired.autocorrelation.toFixed(2)} (a verdict needs ${minEffectiveSamples})`;
  }
  const sides = [['baseline', time.estimates.baseline], ['current', time.estimates.current]] as const;
  for (const [name, side] of sides) {
    if (side.effectiveN >= minEffectiveSamples) continue;
    if (side.n < minEffectiveSamples) return `too few samples to judge: ${side.n} ${name} (a verdict needs ${minEffectiveSamples} per side)`;
    return `too few independent samples: ${side.n} ${name}, worth ${side.effectiveN.toFixed(1)} at lag-1 autocorrelation ${side.autocorrelation.toFixed(2)} (a verdict needs ${minEffectiveSamples} per side)`;
  }
  return null;
}

/**
 * A measurement's samples against its baseline entry's: the statistics, before any threshold.
 * `pairedBase` is the entry's side as it was taken, when the two were measured interleaved in one
 * session: with the turns of both known, they are compared turn by turn (comparePairedTurns),
 * which cancels drift slower than a turn instead of counting it as noise.
 */
export function compareEntry(measurement: Measurement, entry: BaselineEntry, pairedBase?: Measurement): TwoSampleComparison {
  const summaries = { ...(entry.summary ? { baselineSummary: entry.summary } : {}), ...(measurement.summary ? { currentSummary: measurement.summary } : {}) };
  const paired = pairedBase ? compareTurnByTurn(pairedBase, measurement, summaries) : null;
  if (paired) return paired;
  // Every sample, or the entry's digest read back (digest.ts) with the timer's step it recorded.
  const base = entrySamples(entry);
  const resolution = base.resolutionMs === null ? {} : { baselineResolution: base.resolutionMs };
  return compareSamples(base.samplesMs, measurement.samplesMs, { ...summaries, ...resolution, autocorrelation: { baseline: entry.autocorrelation ?? null } });
}

/** The statistics of a measurement against an entry (compareEntry, or a copy that remembers them). */
export type EntryStatistics = typeof compareEntry;

/**
 * compareEntry that computes each (measurement, entry, paired base) once, for a caller that judges
 * the same measurements many times over (calibration: one pair in many pull requests, at several
 * thresholds). Kept by object identity: measurements are values, never changed once taken.
 */
export function rememberedStatistics(): EntryStatistics {
  const kept = new WeakMap<Measurement, WeakMap<BaselineEntry, Map<Measurement | undefined, TwoSampleComparison>>>();
  return (measurement, entry, pairedBase) => {
    let byEntry = kept.get(measurement);
    if (!byEntry) kept.set(measurement, (byEntry = new WeakMap()));
    let byBase = byEntry.get(entry);
    if (!byBase) byEntry.set(entry, (byBase = new Map()));
    let time = byBase.get(pairedBase);
    if (!time) byBase.set(pairedBase, (time = compareEntry(measurement, entry, pairedBase)));
    return time;
  };
}

/**
 * Weighs one benchmark's samples against its baseline entry. Across runs the run-to-run spread is
 * added (run-to-run.ts); same-session comparisons pass `runToRunPct: 0` and entries with no run
 * medians, so none is.
 */
export function weigh(measurement: Measurement, entry: BaselineEntry, thresholds: Thresholds, pairedBase?: Measurement, statistics: EntryStatistics = compareEntry): Evidence {
  return weighComparison(statistics(measurement, entry, pairedBase), entry, thresholds);
}

/** weigh, from the statistics already computed (compareEntry): one comparison judged at several thresholds. */
export function weighComparison(time: TwoSampleComparison, entry: BaselineEntry, thresholds: Thresholds): Evidence {
  const within = (time.estimates.baseline.seLog ** 2 + time.estimates.current.seLog ** 2) / 2;
  const spread = runToRunVariance(entry, thresholds, within);
  const runToRun = spread.varianceLog > 0 ? spread : null;
  const slower = 1 + thresholds.regressionPct / 100;
  const faster = 1 - thresholds.improvementPct / 100;
  const logRatio = Math.log(time.ratio);
  const base = { time, runToRun };
  return {
    ...base,
    slower,
    faster,
    pRegression: Math.max(pastLimit(base, logRatio - Math.log(slower)), time.pSlower),
    pImprovement: Math.max(pastLimit(base, Math.log(faster) - logRatio), time.pFaster),
    tooFew: tooFewSamples(time),
  };
}

/** The two-sided p-value of "changed past a threshold, either way": what the suite-wide control ranks. */
export function changePValue(e: Evidence): number {
  return Math.min(1, 2 * Math.min(e.pRegression, e.pImprovement));
}
