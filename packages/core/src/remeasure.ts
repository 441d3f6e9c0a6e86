import { weigh } from '@ratchet/baseline';
import type { Baseline, Benchmark, Comparison, Device, MeasureBudget, Measurement, RunResult, Thresholds } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { measureBenchmark } from './measure.js';
import { withMoreSamples } from './measurement-record.js';
import type { SensitivityAim } from './sensitivity-aim.js';

/**
 * Looks at the data a run takes when it re-measures what was inconclusive: the first judgement
 * and the one after the re-measure. Each spends alpha / 2 (judge(..., { looks: remeasureLooks })),
 * so the second look cannot raise the run's false-alarm rate above alpha: judged at alpha both
 * times it raised false alarms 1.5-1.8x in noisy cells.
 */
export const remeasureLooks = 2;

/**
 * Ratchet's one bounded re-measure (run, run --base, calibrate): each item the first look left
 * undecided (`undecided(index)`, where more samples can help) is measured once more by `again`,
 * with twice the budget and the launches per sample its first pass used, and each side's new
 * samples are added to its first ones (withMoreSamples): a tighter CI often turns "can't tell"
 * into a verdict. One pass, so two looks at most: judge both with `looks: remeasureLooks`. An
 * item is the sides measured together (one for run, head and base for run --base, calibrate's two
 * sample sets), in the order `again` returns them.
 */
export async function remeasureOnce<Sides extends readonly Measurement[]>(
  taken: readonly Sides[],
  undecided: (index: number) => boolean,
  budget: MeasureBudget,
  again: (index: number, budget: MeasureBudget) => Promise<Sides>,
  device: Pick<Device, 'peakTflops' | 'peakBandwidthGBps'>,
): Promise<{ taken: Sides[]; remeasured: number[] }> {
  const longer = longerBudget(budget);
  const remeasured: number[] = [];
  const merged: Sides[] = [];
  for (const [index, sides] of taken.entries()) {
    if (!undecided(index) || sides[0]?.status !== 'ok') {
      merged.push(sides);
      continue;
    }
    const second = await again(index, { ...longer, launchesPerSample: sides[0].launchesPerSample ?? longer.launchesPerSample });
    merged.push(sides.map((first, side) => withMoreSamples(first, second[side]!, device)) as unknown as Sides);
    remeasured.push(index);
  }
  return { taken: merged, remeasured };
}

/**
 * run's re-measure: the benchmarks `comparison` judged inconclusive (and worth it: worthRemeasuring)
 * measured again with their tuned variant and the first pass's aim (sensitivity-aim.ts).
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
  const { measurements } = result;
  const again = async (index: number, longer: MeasureBudget) =>
    [await measureBenchmark(backend, measurements[index]!.benchmark, { budget: longer, ...(variantFor ? { variantFor } : {}), ...(aim ? { aim } : {}) })] as const;
  const { taken, remeasured } = await remeasureOnce(measurements.map((m) => [m] as const), (index) => inconclusive.has(measurements[index]!.id), budget, again, result.device);
  if (remeasured.length === 0) return { result, remeasured: [] };
  return { result: { ...result, measurements: taken.map(([m]) => m) }, remeasured: [...inconclusive] };
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
