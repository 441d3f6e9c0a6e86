// Samples from a timer that ticks: CUDA events every ~0.5 us, so a 20 us kernel gives a handful
// of distinct values and the plain median jumps a whole tick (2.5%) when the true median crosses a
// tick boundary; the order-statistic CI then has zero width and two runs of the same code land one
// tick apart "with certainty". Here ties are treated as what they are: each distinct value stands
// for a cell one tick wide, its samples spread evenly over it (the ogive, the grouped-data CDF),
// and quantiles are read off that continuous CDF. Without ties this is exactly the order
// statistics (and numpy's median), so nothing changes for data that does not tick.

/** Values closer than this (relative) are the same tick: floating-point noise, not a difference. */
const tieTolerance = 1e-9;

/**
 * Worst-case distance, in ticks, between the ogive median of dithered samples (a timer read at a
 * random phase rounds each duration down or up in proportion, as CUDA events do) and the true
 * median: when the noise is far below a tick the samples take two values k and k+1 in the ratio
 * 1-f : f (f < 1/2), the ogive median is k - 1/2 + 1/(2(1-f)) against the true k + f, and the
 * gap f + 1/2 - 1/(2(1-f)) peaks at f = 1 - 1/sqrt(2): 3/2 - sqrt(2) = 0.0858 tick. With noise of
 * a tick or more the dither is ordinary noise and the gap vanishes. Each median's interval is
 * widened by this bound.
 */
export const tieBiasTicks = 1.5 - Math.SQRT2;

const sameTick = (a: number, b: number) => b - a <= tieTolerance * Math.abs(b);

/**
 * The timer's step as the sorted samples show it: the smallest gap between two distinct values
 * (0 when all values are equal). Continuous data gives a negligible gap; a ticking timer, its tick
 * (divided by the launches per sample when times are per launch).
 */
export function resolutionOf(sorted: Float64Array): number {
  let smallest = Infinity;
  for (let i = 1; i < sorted.length; i += 1) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap > 0 && !sameTick(sorted[i - 1]!, sorted[i]!) && gap < smallest) smallest = gap;
  }
  return smallest === Infinity ? 0 : smallest;
}

/** [first, end) of the run of values equal (to the tick) to sorted[index]. */
function tieGroup(sorted: Float64Array, index: number): [number, number] {
  const value = sorted[index]!;
  let low = 0;
  let high = index;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sameTick(sorted[mid]!, value)) high = mid;
    else low = mid + 1;
  }
  const first = low;
  low = index;
  high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sameTick(value, sorted[mid]!)) low = mid + 1;
    else high = mid;
  }
  return [first, low];
}

/**
 * The p-quantile of the ogive: each distinct value v with f samples covers [v - w/2, v + w/2]
 * (w the resolution) with its f samples spread evenly. Where p falls between two cells, the
 * midpoint of the gap. For untied data and p = (k - 1/2)/n this is the order statistic x(k), and
 * for p = 1/2 numpy's median.
 */
export function ogiveQuantile(sorted: Float64Array, p: number, resolution: number): number {
  const n = sorted.length;
  const count = Math.min(Math.max(p, 0), 1) * n;
  const index = Math.min(n - 1, Math.floor(count));
  const [first, end] = tieGroup(sorted, index);
  const half = resolution / 2;
  if (count === first && first > 0) {
    // On a cell boundary: any value in the gap to the cell below is a p-quantile; take the middle.
    return (sorted[first - 1]! + half + sorted[first]! - half) / 2;
  }
  return sorted[first]! - half + (resolution * (count - first)) / (end - first);
}
