import { compareSamples } from '@ratchet/stats';
import type { BaselineEntry, BenchmarkComparison, CyclesComparison, Measurement, Thresholds, Verdict } from '@ratchet/types';

function signedPct(ratio: number): string {
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** Per-sample SM kilocycles (ms x MHz) of a measurement, when it read its clocks. */
export function kilocycles(measurement: Pick<Measurement, 'samplesMs' | 'samplesClockMHz'>): number[] | null {
  const clocks = measurement.samplesClockMHz;
  if (!clocks || clocks.length !== measurement.samplesMs.length || clocks.length === 0) return null;
  return measurement.samplesMs.map((ms, i) => ms * clocks[i]!);
}

/** The one clock (MHz) every sample ran at, or null when it varied. `kcycles[i] / ms[i]` per sample. */
function steadyClock(ms: readonly number[], kcycles: readonly number[]): number | null {
  const clock = kcycles[0]! / ms[0]!;
  for (let i = 1; i < ms.length; i += 1) {
    if (Math.abs(kcycles[i]! / ms[i]! - clock) > 1e-9 * clock) return null;
  }
  return clock;
}

/**
 * Baseline vs current in cycles. When both sides ran at one and the same steady clock (the usual
 * case), cycles are time times a constant and the time comparison already is the cycles one.
 */
function compareCycles(entry: BaselineEntry, entryKcycles: readonly number[], measurement: Measurement, clocks: readonly number[], time: ReturnType<typeof compareSamples>): CyclesComparison {
  const baseClock = steadyClock(entry.samplesMs, entryKcycles);
  const currentClock = clocks.every((mhz) => mhz === clocks[0]) ? clocks[0]! : null;
  if (baseClock !== null && currentClock !== null && Math.abs(baseClock - currentClock) <= 1e-9 * baseClock) {
    return { ratio: time.ratio, ratioCi95: time.ratioCi95, changePct: time.changePct, pValue: time.pValue, baselineClockMHz: baseClock, currentClockMHz: currentClock };
  }
  const c = compareSamples(entryKcycles, kilocycles(measurement)!);
  return {
    ratio: c.ratio, ratioCi95: c.ratioCi95, changePct: c.changePct, pValue: c.pValue,
    // The effective clock of each side: median cycles over median time.
    baselineClockMHz: c.baseline.median / time.baseline.median,
    currentClockMHz: c.current.median / time.current.median,
  };
}

/** A change past `limit` in the given direction, real by both tests: what a verdict needs. */
function crosses(c: { ratio: number; ratioCi95: readonly [number, number]; pValue: number }, direction: 'slower' | 'faster', limit: number, alpha: number): boolean {
  return direction === 'slower' ? c.ratio > limit && c.ratioCi95[0] > 1 && c.pValue < alpha : c.ratio < limit && c.ratioCi95[1] < 1 && c.pValue < alpha;
}

/**
 * The verdict for one benchmark measured against its baseline entry. A change counts only when
 * it is past the threshold AND statistically real: the Mann-Whitney p-value under alpha and the
 * 95% CI of the ratio of medians entirely on one side of 1. When the CI reaches across a
 * threshold (the change may or may not be past it), the verdict is inconclusive, never a guess.
 *
 * Two guards then keep noise from being reported as a change. Where both sides read their SM
 * clock per sample, the change must hold in cycles too: a slowdown in time only is the clock's,
 * and the verdict is inconclusive. Where both sides ran the same machine code (equal kernel
 * identities), the comparison is A/A and the verdict is unchanged whatever the numbers say.
 */
export function judgeBenchmark(measurement: Measurement, entry: BaselineEntry, thresholds: Thresholds): BenchmarkComparison {
  const time = compareSamples(entry.samplesMs, measurement.samplesMs, { baselineSummary: entry.summary, ...(measurement.summary ? { currentSummary: measurement.summary } : {}) });
  const { ratio, ratioCi95, changePct, pValue, baseline, current } = time;
  const [low, high] = ratioCi95;
  const slowerLimit = 1 + thresholds.regressionPct / 100;
  const fasterLimit = 1 - thresholds.improvementPct / 100;
  const interval = `95% CI ${signedPct(low)}..${signedPct(high)}`;
  const direction = ratio >= 1 ? `${changePct.toFixed(1)}% slower` : `${(-changePct).toFixed(1)}% faster`;
  let verdict: Verdict;
  let why: string;
  if (crosses(time, 'slower', slowerLimit, thresholds.alpha)) {
    verdict = 'regression';
    why = `past the ${thresholds.regressionPct}% threshold`;
  } else if (crosses(time, 'faster', fasterLimit, thresholds.alpha)) {
    verdict = 'improvement';
    why = `past the ${thresholds.improvementPct}% threshold`;
  } else if (ratio > slowerLimit || ratio < fasterLimit || (low <= slowerLimit && high > slowerLimit) || (high >= fasterLimit && low < fasterLimit)) {
    // Past a threshold but not shown real, or a CI that reaches across one: either way the data
    // cannot say which side of the threshold the change is on.
    verdict = 'inconclusive';
    why = 'the CI reaches across the threshold; re-run with more samples';
  } else {
    verdict = 'unchanged';
    why = `within -${thresholds.improvementPct}%..+${thresholds.regressionPct}%`;
  }

  // Cycles are compared only where they could change the verdict (they cost a second comparison).
  let cycles: CyclesComparison | undefined;
  const clocks = measurement.samplesClockMHz;
  const decided = verdict === 'regression' || verdict === 'improvement';
  if (decided && clocks && clocks.length === measurement.samplesMs.length && clocks.length > 0 && entry.samplesKcycles && entry.samplesKcycles.length === entry.samplesMs.length) {
    const c = compareCycles(entry, entry.samplesKcycles, measurement, clocks, time);
    cycles = c;
    const holds = verdict === 'regression' ? crosses(c, 'slower', slowerLimit, thresholds.alpha) : crosses(c, 'faster', fasterLimit, thresholds.alpha);
    if (!holds) {
      why = `but ${signedPct(c.ratio)} in SM cycles (clock ${Math.round(cycles.baselineClockMHz)} -> ${Math.round(cycles.currentClockMHz)} MHz): the clock changed, not the code; re-run on a steady clock`;
      verdict = 'inconclusive';
    }
  }

  const aa = Boolean(measurement.kernelIdentity && entry.kernelIdentity && measurement.kernelIdentity === entry.kernelIdentity);
  if (aa && verdict !== 'unchanged') {
    why = `A/A: both sides ran the same machine code (${measurement.kernelIdentity!.slice(0, 18)}), so this is noise (was ${verdict}: ${why})`;
    verdict = 'unchanged';
  }
  return {
    id: measurement.id,
    verdict,
    baseline,
    current,
    ratio,
    ratioCi95,
    changePct,
    pValue,
    reason: `${direction} (${interval}), ${pText(pValue)}, ${why}`,
    tflops: measurement.tflops,
    variant: measurement.variant,
    ...(cycles ? { cycles } : {}),
    ...(measurement.kernelIdentity && entry.kernelIdentity ? { aa } : {}),
  };
}
