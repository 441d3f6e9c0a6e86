import { summarize } from '@ratchet/stats';
import type { Benchmark, Comparison, MeasureBudget, Measurement, RunResult } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { measureBenchmark, roofline } from './measure.js';

/**
 * The benchmarks judged inconclusive, measured once more with twice the budget and their new
 * samples added to the old: a tighter CI often turns "can't tell" into a verdict. Bounded: one
 * pass, and the result says which benchmarks were re-measured.
 */
export function remeasureInconclusive(
  result: RunResult,
  comparison: Comparison,
  backend: MeasureBackend,
  budget: MeasureBudget,
  variantFor?: (benchmark: Benchmark) => string | undefined,
): { result: RunResult; remeasured: string[] } {
  const inconclusive = new Set(comparison.results.filter((r) => r.verdict === 'inconclusive').map((r) => r.id));
  if (inconclusive.size === 0) return { result, remeasured: [] };
  const longer: MeasureBudget = { ...budget, maxSamples: budget.maxSamples * 2, maxTimeMs: budget.maxTimeMs * 2, minTimeMs: budget.minTimeMs * 2 };
  const measurements = result.measurements.map((m): Measurement => {
    if (!inconclusive.has(m.id) || m.status !== 'ok') return m;
    const again = measureBenchmark(backend, m.benchmark, { budget: longer, ...(variantFor ? { variantFor } : {}) });
    if (again.status !== 'ok') return again;
    const samplesMs = [...m.samplesMs, ...again.samplesMs];
    const summary = summarize(samplesMs);
    // Cycles stay aligned only when both passes read their clocks.
    const { samplesClockMHz: _dropped, ...rest } = again;
    const clocks = m.samplesClockMHz && again.samplesClockMHz ? { samplesClockMHz: [...m.samplesClockMHz, ...again.samplesClockMHz] } : {};
    return { ...rest, samplesMs, ...clocks, summary, ...roofline(result.device, m.flops, m.bytes, summary.median) };
  });
  return { result: { ...result, measurements }, remeasured: [...inconclusive] };
}
