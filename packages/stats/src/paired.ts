// Two builds measured interleaved take turns: a short batch of one, then a short batch of the
// other (core's sampleSides). On a power-capped GPU the clock wanders over hundreds of
// samples (on the H200, lag-1 autocorrelation 0.7-0.98 and still 0.35-0.6 at lag 64), so each
// side's samples are worth few independent ones and a two-sample test needs seconds to see 1%.
// But the wander is slow next to a turn: the two batches of one turn ran under (nearly) the same
// clock, so the ratio of their medians cancels it. The comparison here is over those per-turn
// ratios: the Hodges-Lehmann estimate of their (log) centre, its distribution-free CI from the
// Wilcoxon signed-rank statistic, and the signed-rank test, with the variance inflated for
// whatever correlation is left between consecutive turns (autocorrelation.ts). Each batch's median
// is read off the ogive at its side's timer step (ties.ts), as a side's whole median is: the plain
// median of a handful of ticking samples jumps a whole tick, and on an unbatched 20.25 us kernel
// at 0.5 us ticks it read a true +0.5% as +1% (the CI with its tick bound then covered the truth
// in 0-20% of comparisons of 40-120 turns). Read off the ogive, the Hodges-Lehmann estimate of the
// per-turn ratios stays within 0.14 tick of the truth when the noise is far below a tick (worked
// out exactly for batches of 4 and 8), inside the bound of 0.086 tick a side that the ratio's CI
// adds (compare.ts).

import { RatchetError } from '@ratchet/types';
import { lag1RankAutocorrelation, varianceInflation } from './autocorrelation.js';
import { normalQuantile, normalSurvival } from './distributions.js';
import { sortWithOrder } from './samples.js';
import { ogiveQuantile } from './ties.js';

/** What the turn-by-turn pairing says, beside the two-sample figures. */
export interface PairedTurns {
  /** Turns in which both sides kept at least one sample. */
  turns: number;
  /** Lag-1 rank autocorrelation of the per-turn log-ratios, in the order taken. */
  autocorrelation: number;
  /** turns over the variance inflation of that autocorrelation. */
  effectiveTurns: number;
}

/** The paired estimate of median(current) / median(baseline) on the log scale. */
export interface PairedEstimate extends PairedTurns {
  /** Hodges-Lehmann estimate of the per-turn log-ratio: the median of the Walsh averages. */
  logRatio: number;
  /** 95% CI of logRatio (signed-rank inversion at the effective number of turns). */
  ci95Log: readonly [number, number];
  /** One-sided signed-rank p-values: current slower, current faster. */
  pSlower: number;
  pFaster: number;
}

const z975 = normalQuantile(0.975);

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks a side's turns against its samples: counts that add up to them, or an error naming the side. */
function checkTurns(samplesMs: ArrayLike<number>, turns: readonly number[], side: string): void {
  let total = 0;
  for (const count of turns) {
    if (!isCount(count)) throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${side} turns: expected non-negative integer counts but received ${String(count)}`);
    total += count;
  }
  if (total !== samplesMs.length) throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${side} turns add up to ${total} samples but it has ${samplesMs.length}`);
}

/** The ogive median of one batch (numpy's median when no two samples tie, or at resolution 0). */
function batchMedian(samplesMs: ArrayLike<number>, from: number, count: number, resolutionMs: number): number {
  const batch = Float64Array.from({ length: count }, (_, i) => samplesMs[from + i]!).sort();
  return ogiveQuantile(batch, 0.5, resolutionMs);
}

/** The timer step of each side (ties.ts resolutionOf), ms: what each batch's ties are spread over. */
export interface SideResolutions {
  baseline: number;
  current: number;
}

/**
 * ln(median of the current batch / median of the baseline batch) for every turn in which both
 * sides kept a sample (a side's batch can be dropped whole for throttling), in the order taken;
 * each median read off the ogive at its side's `resolutionMs` (0: the plain median). The sides
 * must have taken the same number of turns.
 */
export function turnLogRatios(
  baselineMs: ArrayLike<number>,
  baselineTurns: readonly number[],
  currentMs: ArrayLike<number>,
  currentTurns: readonly number[],
  resolutionMs: SideResolutions = { baseline: 0, current: 0 },
): Float64Array {
  checkTurns(baselineMs, baselineTurns, 'baseline');
  checkTurns(currentMs, currentTurns, 'current');
  if (baselineTurns.length !== currentTurns.length) {
    throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `the sides took ${baselineTurns.length} and ${currentTurns.length} turns: paired turns need the same number`);
  }
  const ratios: number[] = [];
  let b = 0;
  let c = 0;
  for (let turn = 0; turn < baselineTurns.length; turn += 1) {
    const nb = baselineTurns[turn]!;
    const nc = currentTurns[turn]!;
    if (nb > 0 && nc > 0) {
      const base = batchMedian(baselineMs, b, nb, resolutionMs.baseline);
      const head = batchMedian(currentMs, c, nc, resolutionMs.current);
      ratios.push(Math.log(head / base));
    }
    b += nb;
    c += nc;
  }
  return Float64Array.from(ratios);
}

/** Sum of the ranks of the positive values among |d| (zeros dropped, ties midranked), with its null mean and variance. */
function signedRank(d: Float64Array): { plus: number; mean: number; variance: number } {
  const magnitudes = Float64Array.from(Array.from(d).filter((x) => x !== 0), Math.abs).sort();
  // How many positive values each magnitude has: a tie group may mix signs.
  const positivesAt = new Map<number, number>();
  for (const x of d) if (x > 0) positivesAt.set(x, (positivesAt.get(x) ?? 0) + 1);
  const n = magnitudes.length;
  let plus = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && magnitudes[end] === magnitudes[start]) end += 1;
    const t = end - start;
    const midrank = (start + end + 1) / 2;
    plus += midrank * (positivesAt.get(magnitudes[start]!) ?? 0);
    tieTerm += t * t * t - t;
    start = end;
  }
  return { plus, mean: (n * (n + 1)) / 4, variance: (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48 };
}

/** The Walsh averages (d_i + d_j) / 2, i <= j, ascending. */
function walshAverages(d: Float64Array): Float64Array {
  const n = d.length;
  const out = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i += 1) for (let j = i; j < n; j += 1) out[k++] = (d[i]! + d[j]!) / 2;
  return out.sort();
}

function medianSorted(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/**
 * The per-turn log-ratios as one estimate. The Hodges-Lehmann estimator is as efficient as the
 * mean on normal noise (95%) and ignores outlier turns (29% breakdown), and it is the estimate
 * the signed-rank test inverts: its CI runs between the Walsh averages of ranks C and M + 1 - C,
 * C from the signed rank's normal approximation with the variance inflated for correlated turns.
 * Under no change the two sides are exchangeable within a turn (they alternate who goes first),
 * so the log-ratios are symmetric about 0: the signed-rank test's premise.
 */
export function pairedEstimate(logRatios: Float64Array): PairedEstimate {
  const turns = logRatios.length;
  if (turns === 0) throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', 'no turn in which both sides kept a sample: nothing to pair');
  const autocorrelation = lag1RankAutocorrelation(sortWithOrder(Float64Array.from(logRatios)));
  const inflation = varianceInflation(autocorrelation);
  const walsh = walshAverages(logRatios);
  const m = walsh.length;
  const spread = Math.sqrt(((turns * (turns + 1) * (2 * turns + 1)) / 24) * inflation);
  const c = Math.floor(m / 2 - z975 * spread);
  // Fewer turns than any 95% interval needs: the whole range (and a verdict refuses so few turns).
  const ci95Log: readonly [number, number] = c >= 1 ? [walsh[c - 1]!, walsh[m - c]!] : [walsh[0]!, walsh[m - 1]!];
  const rank = signedRank(logRatios);
  const sd = Math.sqrt(rank.variance * inflation);
  const zSlower = sd > 0 ? (rank.plus - rank.mean - 0.5) / sd : 0;
  const zFaster = sd > 0 ? (rank.mean - rank.plus - 0.5) / sd : 0;
  return {
    turns,
    autocorrelation,
    effectiveTurns: turns / inflation,
    logRatio: medianSorted(walsh),
    ci95Log,
    pSlower: sd > 0 ? normalSurvival(zSlower) : 1,
    pFaster: sd > 0 ? normalSurvival(zFaster) : 1,
  };
}
