import { RatchetError, benchmarkId, type Benchmark, type Device, type MeasureBudget, type Work } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';

/**
 * The longest one call of a session may take: one check() (kernel and reference on fresh
 * inputs) or one sample. The stopping rule needs at least three samples plus warm-up; a call past
 * a minute makes a benchmark of many minutes that no budget meant, so it is refused.
 */
export const callLimitMs = 60_000;

/**
 * Rates no CPU backend reaches, for a lower bound on the time of a call where the device reports
 * no peak: 64 fp32 FLOPs per cycle (two AVX-512 FMA units) at 5 GHz per thread, and 500 GB/s (past
 * any one socket's DRAM). The built-in CPU kernels are scalar C++ at about 0.003 TFLOP/s
 * (`ratchet bench --backend cpu`, B1_H2_S256_D64 on the 2-core build machine), so real calls are
 * some 200x slower than this bound: a refusal is never a false alarm.
 */
const cpuFlopsPerThread = 64 * 5e9;
const cpuBytesPerSecond = 500e9;

/** The least time one call of `work` can take on `device`: its work at the device's peak rates. */
export function leastCallMs(device: Device, work: Work): number {
  const flopsPerSecond = device.peakTflops !== null ? device.peakTflops * 1e12 : cpuFlopsPerThread * Math.max(1, device.multiprocessorCount);
  const bytesPerSecond = device.peakBandwidthGBps !== null ? device.peakBandwidthGBps * 1e9 : cpuBytesPerSecond;
  return Math.max(work.flops / flopsPerSecond, work.bytes / bytesPerSecond) * 1e3;
}

/** What one benchmark must cost at least, from the work of one call. */
export interface CostEstimate {
  id: string;
  /** One call (one launch), ms, at the device's peak. */
  callMs: number;
  /** One check(): the kernel and its reference (at least as much work again). */
  checkMs: number;
  /** One sample: `launchesPerSample` calls. */
  sampleMs: number;
  /** The least a benchmark takes: check, warm-up, the first batch, and the budget's minimum time. */
  benchmarkMs: number;
}

export function estimateBenchmark(id: string, device: Device, work: Work, budget: MeasureBudget): CostEstimate {
  const callMs = leastCallMs(device, work);
  const launches = device.backend === 'cuda' ? budget.launchesPerSample : 1;
  const sampleMs = callMs * launches;
  const checkMs = 2 * callMs;
  const firstBatch = (budget.warmup + Math.max(budget.minSamples, 3)) * sampleMs;
  return { id, callMs, checkMs, sampleMs, benchmarkMs: checkMs + Math.max(firstBatch, budget.minTimeMs) };
}

export function formatDuration(ms: number): string {
  if (ms < 1e3) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 120e3) return `${ms < 10e3 ? (ms / 1e3).toFixed(1) : Math.round(ms / 1e3)} s`;
  if (ms < 2 * 3600e3) return `${(ms / 60e3).toFixed(1)} min`;
  return `${(ms / 3600e3).toFixed(1)} h`;
}

/** Refuses a benchmark whose check or single sample would run past `callLimitMs` even at the device's peak. */
export function assertAffordable(estimate: CostEstimate, device: Device, work: Work): void {
  const [what, ms] = estimate.checkMs > estimate.sampleMs ? ['its correctness check', estimate.checkMs] : ['one sample', estimate.sampleMs];
  if (ms <= callLimitMs) return;
  throw new RatchetError(
    'ERR_RATCHET_UNSUPPORTED_SHAPE',
    `${estimate.id}: ${what} would take at least ${formatDuration(ms)} on ${device.deviceKey} (${work.flops.toExponential(2)} FLOPs and ${work.bytes.toExponential(2)} bytes per call, at the device's peak), past the ${formatDuration(callLimitMs)} limit on one call: measure a smaller shape`,
  );
}

/** The limit, checked on what a call really took (an estimate can only refuse what it foresees). */
export function assertCallWithinLimit(id: string, what: 'its correctness check' | 'one sample', tookMs: number): void {
  if (tookMs <= callLimitMs) return;
  throw new RatchetError('ERR_RATCHET_UNSUPPORTED_SHAPE', `${id}: ${what} took ${formatDuration(tookMs)}, past the ${formatDuration(callLimitMs)} limit on one call: measure a smaller shape`);
}

/**
 * The least each benchmark will cost, from the work its session reports (opened and closed
 * again: nothing runs), refusing any whose single call is past the limit. Called before the
 * first measurement, so an impossible suite costs nothing.
 */
export async function estimateSuite(backend: MeasureBackend, benchmarks: readonly Benchmark[], budget: MeasureBudget): Promise<{ estimates: CostEstimate[]; totalMs: number }> {
  const estimates: CostEstimate[] = [];
  for (const benchmark of benchmarks) {
    const session = await backend.open(benchmark);
    let work: Work;
    try {
      work = session.work;
    } finally {
      await session.close();
    }
    const estimate = estimateBenchmark(benchmarkId(benchmark), backend.device, work, budget);
    assertAffordable(estimate, backend.device, work);
    estimates.push(estimate);
  }
  return { estimates, totalMs: estimates.reduce((total, e) => total + e.benchmarkMs, 0) };
}

/** A run whose least cost passes this is announced with its estimate before it starts. */
export const announceRunPastMs = 60_000;

/** The line that says how long a run will take at least, when that is long; null otherwise. */
export function durationNote(count: number, totalMs: number): string | null {
  if (totalMs <= announceRunPastMs) return null;
  return `measuring ${count} benchmark(s) takes at least ${formatDuration(totalMs)} (the budget's minimum time and the work of each call at the device's peak); Ctrl-C stops it`;
}
