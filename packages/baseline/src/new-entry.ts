import type { Summary, Thresholds } from '@ratchet/types';

/** (p75 - p25) / 1.349 is the standard deviation of a normal distribution with that quartile spread. */
const iqrPerSd = 1.349;

/**
 * Robust coefficient of variation, percent: the quartile spread as a standard deviation, over the
 * median. Unlike std / mean, 1% of outliers at 2-3x do not move it.
 */
export function robustCvPct(summary: Summary): number {
  return ((summary.p75 - summary.p25) / iqrPerSd / summary.median) * 100;
}

/**
 * Why a new benchmark's first figure is not stored yet, or null when it may be: a first run taken
 * under load (6.57 ms against a steady 1.5 ms) would otherwise be locked in, and hide a real 2x
 * slowdown behind every later "unchanged".
 */
export function unstableNewEntry(summary: Summary, thresholds: Thresholds): string | null {
  const bound = thresholds.newEntryMaxCvPct;
  if (bound === undefined) return null;
  const cv = robustCvPct(summary);
  return cv > bound ? `new, not stored yet: unstable (cv ${cv.toFixed(1)}% > ${bound}%); a steadier run will store it` : null;
}
