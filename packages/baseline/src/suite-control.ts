import type { Thresholds } from '@ratchet/types';

/**
 * The two-sided level each benchmark of a run is judged at, so that the chance of any false
 * verdict in the whole run (every benchmark, every look) stays at alpha. Each look of a run that
 * may look twice (the bounded re-measure) spends alpha / looks; within a look, Holm's step-down:
 * ranked by p-value, the i-th smallest of m is judged at alpha / (m - i + 1) while each before it
 * was a change, and everything after the first that was not at that first level. A 10-benchmark
 * suite judged at alpha each failed about ten times as many unchanged pull requests.
 * `familySize`: benchmarks in the run when only some of them are judged here (calibrating a suite
 * in parts); the others count as unchanged (p = 1), which only widens the family.
 */
export function suiteLevels(pValues: readonly number[], thresholds: Thresholds, looks: number, familySize = pValues.length): number[] {
  const alpha = thresholds.alpha / Math.max(looks, 1);
  if ((thresholds.suiteControl ?? 'holm') === 'none') return pValues.map(() => alpha);
  return holmLevels(pValues, alpha, familySize);
}

/**
 * Holm (1979) at `alpha` over `pValues`: the level each one is judged at (rejected iff p <= level).
 * A family larger than `pValues` has its other members at p = 1: ranked last, they change no level
 * but the count each step divides by.
 */
export function holmLevels(pValues: readonly number[], alpha: number, familySize = pValues.length): number[] {
  const m = Math.max(familySize, pValues.length);
  const ranked = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const levels = new Array<number>(pValues.length);
  let stoppedAt: number | null = null;
  ranked.forEach(({ p, index }, rank) => {
    const step = alpha / (m - rank);
    if (stoppedAt === null && p > step) stoppedAt = step;
    levels[index] = stoppedAt ?? step;
  });
  return levels;
}
