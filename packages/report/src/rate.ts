/** The work rates of one measurement, and which roof binds its shape (core's roofline). */
export interface WorkRate {
  tflops: number | null;
  gbps?: number | null;
  roof?: 'compute' | 'memory' | null;
}

/** Three significant digits below 100, so small figures (a CPU's 0.0213) do not print as 0.0. */
const figure = (value: number) => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));

/**
 * The rate that matters for this shape: GB/s where memory binds (RMSNorm, a softmax: their
 * TFLOP/s says nothing), TFLOP/s otherwise and where the roof is unknown. Null when neither is known.
 */
export function workRateText(rate: WorkRate): string | null {
  if (rate.roof === 'memory' && rate.gbps != null) return `${figure(rate.gbps)} GB/s`;
  if (rate.tflops !== null) return `${figure(rate.tflops)} TFLOP/s`;
  return rate.gbps != null ? `${figure(rate.gbps)} GB/s` : null;
}
