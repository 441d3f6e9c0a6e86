import type { Thresholds } from '@ratchet/types';

/**
 * The two-sided level each benchmark of a run is judged at, so that the chance of any false
 * verdict in the whole run (every benchmark, every look) stays at alpha. Each look of a run that
 * may look twice (the bounded re-measure) spends alpha / looks; within a look, Holm's step-down:
 * ranked by p-value, the i-th smallest of m is judged at alpha / (m - i + 1) while each before it
 * was a change, and everything after the first that was not at that first level. A 10-benchmark
 * suite judged at alpha each failed about ten times as many unchanged pull requests.
 */
export function suiteLevels(pValues: readonly number[], thresholds: Thresholds, looks: number): number[] {
  const alpha = thresholds.alpha / Math.max(looks, 1);
  if ((thresholds.suiteControl ?? 'holm') === 'none') return pValues.map(() => alpha);
  return holmLevels(pValues, alpha);
}

/** Holm (1979) at `alpha` over `pValues`: the level each one is judged at (rejected iff p <= level). */
export function holmLevels(pValues: readonly number[], alpha: number): number[] {
  const m = pValues.length;
  const ranked = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const levels = new Array<number>(m);
  let stoppedAt: number | null = null;
  ranked.forEach(({ p, index }, rank) => {
    const step = alpha / (m - rank);
    if (stoppedAt === null && p > step) stoppedAt = step;
    levels[index] = stoppedAt ?? step;
  });
  return levels;
}
