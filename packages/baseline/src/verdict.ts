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

/** A change past `limit` in the given direction, real by both tests: what a verdict needs. */
function crosses(c: { ratio: number; ratioCi95: readonly [number, number]; pValue: number }, direction: 'slower' | 'faster', limit: number, alpha: number): boolean {
  return direction === 'slower' ? c.ratio > limit && c.ratioCi95[0] > 1 && c.pValue < alpha : c.ratio < limit && c.ratioCi95[1] < 1 && c.pValue < alpha;
}

/**
 * The verdict for one benchmark measured against its baseline entry. A change counts only when
 * it is past the threshold AND statistically real: the Mann-Whitney p-value under alpha and the
 * 95% CI of the ratio of medians entirely on one side of 1. When the CI is too wide to tell
 * "no change" from "past the threshold", the verdict is inconclusive, never a guess.
 *
 * Two guards then keep noise from being reported as a change. Where both sides read their SM
 * clock per sample, the change must hold in cycles too: a slowdown in time only is the clock's,
 * and the verdict is inconclusive. Where both sides ran the same machine code (equal kernel
 * identities), the comparison is A/A and the verdict is unchanged whatever the numbers say.
 */
export function judgeBenchmark(measurement: Measurement, entry: BaselineEntry, thresholds: Thresholds): BenchmarkComparison {
  const time = compareSamples(entry.samplesMs, measurement.samplesMs);
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
  } else if ((ratio > slowerLimit || ratio < fasterLimit) || (low <= 1 && high > slowerLimit) || (high >= 1 && low < fasterLimit)) {
    verdict = 'inconclusive';
    why = 'the noise is too large to tell; re-run with more samples';
  } else {
    verdict = 'unchanged';
    why = `within -${thresholds.improvementPct}%..+${thresholds.regressionPct}%`;
  }

  // Cycles are compared only where they could change the verdict (they cost a second comparison).
  let cycles: CyclesComparison | undefined;
  const currentKcycles = verdict === 'regression' || verdict === 'improvement' ? kilocycles(measurement) : null;
  if (currentKcycles && entry.samplesKcycles && entry.samplesKcycles.length > 0) {
    const c = compareSamples(entry.samplesKcycles, currentKcycles);
    cycles = {
      ratio: c.ratio, ratioCi95: c.ratioCi95, changePct: c.changePct, pValue: c.pValue,
      // The effective clock of each side: median cycles over median time.
      baselineClockMHz: c.baseline.median / time.baseline.median,
      currentClockMHz: c.current.median / time.current.median,
    };
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
