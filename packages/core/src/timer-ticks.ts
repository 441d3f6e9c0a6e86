import type { Device, MeasureBudget } from '@ratchet/types';
import type { BenchmarkSession } from './backend.js';

/**
 * The tick of the clock that times samples, ms. CUDA events: "a resolution of around 0.5
 * microseconds" (CUDA Runtime API, cudaEventElapsedTime). The CPU backend's steady_clock: 1 ns.
 */
export function timerTickMs(device: Device): number {
  return device.backend === 'cuda' ? 0.0005 : 1e-6;
}

/** More launches than this per sample would replay a graph longer than any kernel needs. */
const maxLaunchesPerSample = 1024;

/** Samples of the probe that measures how long one launch takes. */
const probeSamples = 5;

/** Launches per sample so that one sample spans at least `minSampleTicks` ticks. */
export function launchesForTicks(launchMs: number, tickMs: number, minSampleTicks: number): number {
  return Math.min(maxLaunchesPerSample, Math.max(1, Math.ceil((minSampleTicks * tickMs) / launchMs)));
}

/**
 * The budget to sample a checked session with: as given, or with more launches per sample when
 * one launch is too short for the timer (MeasureBudget.minSampleTicks). A 20 us kernel is 40
 * ticks of a CUDA event: its samples take a handful of values, and a median can jump a whole
 * tick (2.5%). Batched by graph replay until a sample spans the ticks asked for, the tick is a
 * small share of it. Decided once, from a short probe after the warm-up, so every sample of a
 * measurement has the same launches; a budget that already asks for several launches is kept.
 */
export async function budgetForTimer(session: BenchmarkSession, device: Device, budget: MeasureBudget): Promise<MeasureBudget> {
  const ticks = budget.minSampleTicks ?? 0;
  if (ticks <= 0 || budget.launchesPerSample > 1 || device.backend !== 'cuda') return budget;
  const probe = await session.sample({ warmup: budget.warmup, samples: probeSamples, l2Flush: budget.l2Flush, launchesPerSample: 1 });
  const sorted = [...probe.samplesMs].sort((a, b) => a - b);
  const launchMs = sorted[Math.floor(sorted.length / 2)];
  if (launchMs === undefined || !(launchMs > 0)) return budget;
  const launches = launchesForTicks(launchMs, timerTickMs(device), ticks);
  return launches > 1 ? { ...budget, launchesPerSample: launches } : budget;
}
