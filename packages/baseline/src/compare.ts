import {
  comparisonSchemaVersion,
  verdicts,
  type Baseline,
  type BenchmarkComparison,
  type Comparison,
  type RunResult,
  type Thresholds,
  type Verdict,
} from '@ratchet/types';
import { judgeBenchmark } from './verdict.js';

/** The order results appear in: what needs attention first. */
const verdictOrder: Verdict[] = ['regression', 'improvement', 'inconclusive', 'invalid', 'new', 'missing', 'unchanged'];

function absent(id: string, verdict: Verdict, reason: string): BenchmarkComparison {
  return { id, verdict, baseline: null, current: null, ratio: null, ratioCi95: null, changePct: null, pValue: null, reason, tflops: null, variant: null };
}

/**
 * One verdict per measured benchmark, plus `missing` for each baseline entry of this device that
 * was not measured. Entries of other devices are never compared: CPU numbers never meet GPU ones.
 */
export function compare(run: RunResult, baseline: Baseline | null, thresholds: Thresholds): Comparison {
  const entries = baseline?.devices[run.device.deviceKey]?.benchmarks ?? {};
  const results: BenchmarkComparison[] = run.measurements.map((m) => {
    const entry = entries[m.id];
    if (m.status === 'invalid') {
      return { ...absent(m.id, 'invalid', `failed its correctness check: ${m.correctness.detail ?? `relative error ${m.correctness.relError}`}`), baseline: entry?.summary ?? null, variant: m.variant };
    }
    if (!entry) return { ...absent(m.id, 'new', 'no baseline yet for this device'), current: m.summary, tflops: m.tflops, variant: m.variant };
    return judgeBenchmark(m, entry, thresholds);
  });
  const measured = new Set(run.measurements.map((m) => m.id));
  for (const [id, entry] of Object.entries(entries)) {
    if (!measured.has(id)) results.push({ ...absent(id, 'missing', 'in the baseline but not measured in this run'), baseline: entry.summary });
  }
  results.sort((a, b) => verdictOrder.indexOf(a.verdict) - verdictOrder.indexOf(b.verdict) || a.id.localeCompare(b.id));
  const counts = Object.fromEntries(verdicts.map((v) => [v, results.filter((r) => r.verdict === v).length])) as Record<Verdict, number>;
  return {
    schemaVersion: comparisonSchemaVersion,
    createdAt: run.createdAt,
    git: run.git,
    device: run.device,
    timing: run.timing,
    thresholds,
    results,
    counts,
  };
}
