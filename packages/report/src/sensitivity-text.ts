import type { BenchmarkComparison, Comparison } from '@ratchet/types';

const pct = (value: number) => `${Number(value.toFixed(1))}%`;

/** One benchmark's minimum detectable change as a table cell: "≥ +2.4%", "none" (no verdict possible), "—" (no comparison). */
export function catchesText(result: BenchmarkComparison): string {
  if (!result.sensitivity) return '—';
  return result.sensitivity.mdcPct === null ? 'none' : `≥\u00a0+${pct(result.sensitivity.mdcPct)}`;
}

/**
 * What the run could have caught, in one sentence: "this run could catch slowdowns of 2.4% or more
 * on 14 of 16 benchmarks (aim: 3%, twice the 1.5% threshold); the other 2 only larger ones (up to
 * 7.3%)". Null for a comparison that states no sensitivity (written before it was kept, or nothing
 * was compared).
 */
export function sensitivityText(comparison: Comparison): string | null {
  const s = comparison.sensitivity;
  if (!s) return null;
  const aim = `aim: ${pct(s.aimPct)}, twice the ${comparison.thresholds.regressionPct}% threshold`;
  const rest = s.benchmarks - s.withinAim;
  const worst = s.worstPct === null ? 'some none at all: too few samples for a verdict at their level' : `up to ${pct(s.worstPct)}`;
  if (s.withinAim === 0) return `no comparison of this run could catch a slowdown of ${pct(s.aimPct)} (${aim}): only larger ones (${worst})`;
  const on = rest === 0 ? (s.benchmarks === 1 ? 'on its one benchmark' : `on all ${s.benchmarks} benchmarks`) : `on ${s.withinAim} of ${s.benchmarks} benchmarks`;
  const others = rest === 0 ? '' : `; the other ${rest} only larger ones (${worst})`;
  return `this run could catch slowdowns of ${pct(s.mdcPct!)} or more ${on} (${aim})${others}`;
}
