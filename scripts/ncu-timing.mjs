// The pure parts of scripts/timing-crosscheck.mjs, apart so a CPU-only test covers them
// (native/test/timing-crosscheck.test.ts): the median, reading Nsight Compute's CSV, the table row.

/** The median of a non-empty list of numbers. */
export function median(values) {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const perMs = { nsecond: 1e6, ns: 1e6, usecond: 1e3, us: 1e3, msecond: 1, ms: 1, second: 1e-3, s: 1e-3 };

/**
 * Every `metric` value in an `ncu --csv` log, in launch order, converted to milliseconds. Rows
 * are quoted cells ending in "Metric Name","Metric Unit","Metric Value"; the value may carry
 * thousands separators. A unit that is not a time gives NaN, so the caller can say so.
 */
export function ncuDurationsMs(csv, metric = 'gpu__time_duration.sum') {
  return csv
    .split('\n')
    .filter((line) => line.includes(`"${metric}"`))
    .map((line) => {
      const cells = line.trim().split('","').map((cell) => cell.replace(/^"|"$/g, ''));
      const unit = cells[cells.length - 2];
      const value = Number(cells[cells.length - 1].replace(/,/g, ''));
      const scale = perMs[unit];
      return scale === undefined ? Number.NaN : value / scale;
    });
}

/** The markdown table (header and one row) docs/benchmarks.md keeps: both medians and our difference. */
export function crosscheckTable(id, oursMs, oursSamples, theirsMs, theirsSamples) {
  const difference = ((oursMs - theirsMs) / theirsMs) * 100;
  return [
    `| benchmark | ours: CUDA events (median of ${oursSamples}) | Nsight Compute gpu__time_duration (median of ${theirsSamples}) | difference |`,
    '| --- | ---: | ---: | ---: |',
    `| ${id} | ${oursMs.toFixed(4)} ms | ${theirsMs.toFixed(4)} ms | ${difference >= 0 ? '+' : ''}${difference.toFixed(2)}% |`,
  ].join('\n');
}

/** The attention benchmark an id names (flash_fwd/<dtype>/B<b>_H<h>_S<s>_D<d>[_causal]), or null. */
export function attentionBenchmarkOf(id) {
  const m = /^flash_fwd\/(fp16|bf16)\/B(\d+)_H(\d+)_S(\d+)_D(\d+)(_causal)?$/.exec(id);
  if (!m) return null;
  return { kernel: 'flash_fwd', dtype: m[1], B: Number(m[2]), H: Number(m[3]), S: Number(m[4]), D: Number(m[5]), causal: Boolean(m[6]) };
}
