import { compareSamples } from '@ratchet/stats';
import type { BaselineEntry, BenchmarkComparison, Measurement, Thresholds, Verdict } from '@ratchet/types';

function signedPct(ratio: number): string {
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/**
 * The verdict for one benchmark measured against its baseline entry. A change counts only when
 * it is past the threshold AND statistically real: the Mann-Whitney p-value under alpha and the
 * 95% CI of the ratio of medians entirely on one side of 1. When the CI is too wide to tell
 * "no change" from "past the threshold", the verdict is inconclusive, never a guess.
 */
export function judgeBenchmark(measurement: Measurement, entry: BaselineEntry, thresholds: Thresholds): BenchmarkComparison {
  const { ratio, ratioCi95, changePct, pValue, baseline, current } = compareSamples(entry.samplesMs, measurement.samplesMs);
  const [low, high] = ratioCi95;
  const slowerLimit = 1 + thresholds.regressionPct / 100;
  const fasterLimit = 1 - thresholds.improvementPct / 100;
  const real = pValue < thresholds.alpha;
  const interval = `95% CI ${signedPct(low)}..${signedPct(high)}`;
  const direction = ratio >= 1 ? `${changePct.toFixed(1)}% slower` : `${(-changePct).toFixed(1)}% faster`;
  let verdict: Verdict;
  let why: string;
  if (ratio > slowerLimit && low > 1 && real) {
    verdict = 'regression';
    why = `past the ${thresholds.regressionPct}% threshold`;
  } else if (ratio < fasterLimit && high < 1 && real) {
    verdict = 'improvement';
    why = `past the ${thresholds.improvementPct}% threshold`;
  } else if ((ratio > slowerLimit || ratio < fasterLimit) || (low <= 1 && high > slowerLimit) || (high >= 1 && low < fasterLimit)) {
    verdict = 'inconclusive';
    why = 'the noise is too large to tell; re-run with more samples';
  } else {
    verdict = 'unchanged';
    why = `within -${thresholds.improvementPct}%..+${thresholds.regressionPct}%`;
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
  };
}
