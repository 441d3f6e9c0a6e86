import { compareSamples, ratioInterval, type TwoSampleComparison } from '@ratchet/stats';
import type { BaselineEntry, CyclesComparison, Measurement } from '@ratchet/types';
import { entrySamples, type EntrySamples } from './digest.js';

/** Per-sample SM kilocycles (ms x MHz) of a measurement, when it read its clocks. */
export function kilocycles(measurement: Pick<Measurement, 'samplesMs' | 'samplesClockMHz'>): number[] | null {
  const clocks = measurement.samplesClockMHz;
  if (!clocks || clocks.length !== measurement.samplesMs.length || clocks.length === 0) return null;
  return measurement.samplesMs.map((ms, i) => ms * clocks[i]!);
}

/** The one clock (MHz) every sample ran at, or null when it varied. `kcycles[i] / ms[i]` per sample. */
function steadyClock(ms: ArrayLike<number>, kcycles: ArrayLike<number>): number | null {
  const clock = kcycles[0]! / ms[0]!;
  for (let i = 1; i < ms.length; i += 1) {
    if (Math.abs(kcycles[i]! / ms[i]! - clock) > 1e-9 * clock) return null;
  }
  return clock;
}

/** Both sides' cycles, when both read their clock per sample (the entry's from every sample, or its digest). */
export function cyclesOf(measurement: Measurement, entry: BaselineEntry): { entry: EntrySamples & { kcycles: Float64Array }; clocks: number[] } | null {
  const clocks = measurement.samplesClockMHz;
  if (!clocks || clocks.length !== measurement.samplesMs.length || clocks.length === 0) return null;
  const samples = entrySamples(entry);
  if (!samples.kcycles) return null;
  return { entry: { ...samples, kcycles: samples.kcycles }, clocks };
}

/**
 * Baseline vs current in cycles. When both sides ran at one and the same steady clock (the usual
 * case), cycles are time times a constant and the time comparison already is the cycles one.
 */
export function compareCycles(entry: BaselineEntry, measurement: Measurement, time: TwoSampleComparison): { cycles: TwoSampleComparison; clocks: Pick<CyclesComparison, 'baselineClockMHz' | 'currentClockMHz'> } | null {
  const sides = cyclesOf(measurement, entry);
  if (!sides) return null;
  const baseClock = steadyClock(sides.entry.samplesMs, sides.entry.kcycles);
  const currentClock = sides.clocks.every((mhz) => mhz === sides.clocks[0]) ? sides.clocks[0]! : null;
  if (baseClock !== null && currentClock !== null && Math.abs(baseClock - currentClock) <= 1e-9 * baseClock) {
    return { cycles: time, clocks: { baselineClockMHz: baseClock, currentClockMHz: currentClock } };
  }
  const resolution = sides.entry.resolutionKcycles === null ? {} : { baselineResolution: sides.entry.resolutionKcycles };
  const cycles = compareSamples(sides.entry.kcycles, kilocycles(measurement)!, { ...resolution, autocorrelation: { baseline: entry.autocorrelation ?? null } });
  // The effective clock of each side: median cycles over median time.
  return { cycles, clocks: { baselineClockMHz: cycles.baseline.median / time.baseline.median, currentClockMHz: cycles.current.median / time.current.median } };
}

/** The cycles comparison as a comparison reports it (95% CI, run-to-run spread included). */
export function cyclesReport(cycles: TwoSampleComparison, clocks: Pick<CyclesComparison, 'baselineClockMHz' | 'currentClockMHz'>, extraVarianceLog: number): CyclesComparison {
  return {
    ratio: cycles.ratio, ratioCi95: ratioInterval(cycles, 0.95, extraVarianceLog), changePct: cycles.changePct, pValue: cycles.pValue,
    ...clocks,
  };
}
