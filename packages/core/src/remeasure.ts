import { weigh } from '@ratchet/baseline';
import { summarize } from '@ratchet/stats';
import type { Baseline, Benchmark, Comparison, Device, MeasureBudget, Measurement, RunResult, Thresholds } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { measureBenchmark, roofline } from './measure.js';
import type { SensitivityAim } from './sensitivity-aim.js';

/**
 * Looks at the data a run takes when it re-measures what was inconclusive: the first judgement
 * and the one after the re-measure. Each spends alpha / 2 (judge(..., { looks: remeasureLooks })),
 * so the second look cannot raise the run's false-alarm rate above alpha: judged at alpha both
 * times it raised false alarms 1.5-1.8x in noisy cells.
 */
export const remeasureLooks = 2;

/**
 * The benchmarks judged inconclusive, measured once more with twice the budget and their new
 * samples added to the old: a tighter CI often turns "can't tell" into a verdict. Bounded: one
 * pass, and the result says which benchmarks were re-measured. Judge both looks with
 * `looks: remeasureLooks`. Each keeps the launches per sample its first pass used, and the
 * first pass's `aim` (sensitivity-aim.ts).
 */
export async function remeasureInconclusive(
  result: RunResult,
  comparison: Comparison,
  backend: MeasureBackend,
  budget: MeasureBudget,
  variantFor?: (benchmark: Benchmark) => string | undefined,
  aim?: SensitivityAim,
): Promise<{ result: RunResult; remeasured: string[] }> {
  const inconclusive = new Set(comparison.results.filter((r) => r.verdict === 'inconclusive').map((r) => r.id));
  if (inconclusive.size === 0) return { result, remeasured: [] };
  const longer = longerBudget(budget);
  const measurements: Measurement[] = [];
  for (const m of result.measurements) {
    if (!inconclusive.has(m.id) || m.status !== 'ok') measurements.push(m);
    else {
      const same = { ...longer, launchesPerSample: m.launchesPerSample ?? longer.launchesPerSample };
      const again = await measureBenchmark(backend, m.benchmark, { budget: same, ...(variantFor ? { variantFor } : {}), ...(aim ? { aim } : {}) });
      measurements.push(withMoreSamples(m, again, result.device));
    }
  }
  return { result: { ...result, measurements }, remeasured: [...inconclusive] };
}

/**
 * Below this share of the run-to-run variance, a cross-run comparison's sampling variance is not
 * what keeps it inconclusive: twice the samples would narrow its CI by under 6%.
 */
const samplingShareWorthIt = 0.25;

/**
 * The inconclusive results more samples can help: not a cross-run comparison whose CI is wide from
 * the spread between runs alone (with 1% run to run, an A/A comparison's CI at its level reaches
 * past a 3% threshold however many samples; each such re-measure spent twice the time cap for
 * nothing). Its change, if past the threshold, is confirmed interleaved instead (confirm.ts).
 */
export function worthRemeasuring(comparison: Comparison, result: RunResult, baseline: Baseline | null, thresholds: Thresholds): Comparison {
  const entries = baseline?.devices[result.device.deviceKey]?.benchmarks ?? {};
  const byId = new Map(result.measurements.map((m) => [m.id, m]));
  const results = comparison.results.filter((r) => {
    const entry = entries[r.id];
    const m = byId.get(r.id);
    if (r.verdict !== 'inconclusive' || !entry || !m || m.status !== 'ok') return r.verdict === 'inconclusive';
    const e = weigh(m, entry, thresholds);
    return e.tooFew !== null || e.time.seLog ** 2 >= samplingShareWorthIt * (e.runToRun?.varianceLog ?? 0);
  });
  return { ...comparison, results };
}

/** The budget of a bounded re-measure: twice the samples and time. */
export function longerBudget(budget: MeasureBudget): MeasureBudget {
  return { ...budget, maxSamples: budget.maxSamples * 2, maxTimeMs: budget.maxTimeMs * 2, minTimeMs: budget.minTimeMs * 2 };
}

/** A measurement taken again, its new samples added to the first ones (an invalid retake wins). */
export function withMoreSamples(first: Measurement, again: Measurement, device: Device): Measurement {
  if (again.status !== 'ok' || first.status !== 'ok') return again;
  const samplesMs = [...first.samplesMs, ...again.samplesMs];
  const summary = summarize(samplesMs);
  // Cycles stay aligned only when both passes read their clocks.
  const { samplesClockMHz: _dropped, discardedSamples: _counted, sampleTurns: _joined, ...rest } = again;
  const clocks = first.samplesClockMHz && again.samplesClockMHz ? { samplesClockMHz: [...first.samplesClockMHz, ...again.samplesClockMHz] } : {};
  // Interleaved sides took their second pass's turns together too: the turns run on.
  const turns = first.sampleTurns && again.sampleTurns ? { sampleTurns: [...first.sampleTurns, ...again.sampleTurns] } : {};
  const discarded = (first.discardedSamples ?? 0) + (again.discardedSamples ?? 0);
  return { ...rest, samplesMs, ...clocks, ...turns, summary, ...roofline(device, first.flops, first.bytes, summary.median), ...(discarded ? { discardedSamples: discarded } : {}) };
}
