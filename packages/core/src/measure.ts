import { summarize } from '@ratchet/stats';
import {
  RatchetError,
  benchmarkId,
  type Benchmark,
  type Device,
  type MeasureBudget,
  type Measurement,
  type Summary,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { assertCallWithinLimit } from './cost.js';
import { SampleSet } from './sample-set.js';
import type { SensitivityAim } from './sensitivity-aim.js';
import { nextBatchSize, stopReason } from './stopping-rule.js';
import { budgetForTimer } from './timer-ticks.js';

/** Reported while a benchmark is being sampled (the CLI draws its progress line from this). */
export interface MeasureProgress {
  id: string;
  /** 0-based position in the suite, and the suite's size. */
  index: number;
  total: number;
  samples: number;
  elapsedMs: number;
}

export interface MeasureOptions {
  budget: MeasureBudget;
  /** The variant to run per benchmark (autotuning's choice); absent: the backend's default. */
  variantFor?: (benchmark: Benchmark) => string | undefined;
  onProgress?: (progress: MeasureProgress) => void;
  /** Each benchmark once it is measured (so a log shows one line per benchmark as it finishes). */
  onMeasured?: (measurement: Measurement, index: number, total: number) => void;
  /** Milliseconds from an arbitrary origin; injectable so tests control time. */
  now?: () => number;
  /** Seed of the first correctness check's inputs (docs/peers.md); random when absent. */
  seed?: number;
  /** What each measurement will be compared to catch (sensitivity-aim.ts): sampling goes on until it could, within the caps. */
  aim?: SensitivityAim;
}

/** Where this shape sits on the device's roofline, from its peaks (null where they are unknown). */
export function roofline(device: Device, flops: number, bytes: number, medianMs: number): Pick<Measurement, 'tflops' | 'gbps' | 'roof' | 'roofFraction'> {
  const seconds = medianMs / 1e3;
  const tflops = flops / seconds / 1e12;
  const gbps = bytes / seconds / 1e9;
  if (device.peakTflops === null || device.peakBandwidthGBps === null) {
    return { tflops, gbps, roof: null, roofFraction: null };
  }
  const computeFloorS = flops / (device.peakTflops * 1e12);
  const memoryFloorS = bytes / (device.peakBandwidthGBps * 1e9);
  const roof = computeFloorS >= memoryFloorS ? 'compute' : 'memory';
  return { tflops, gbps, roof, roofFraction: Math.max(computeFloorS, memoryFloorS) / seconds };
}

/**
 * Samples an open, checked session in growing batches until the stopping rule says stop.
 * `extraUs` injects a busy-wait of known length into every sample (calibration only).
 */
export async function sampleUntilStop(
  session: BenchmarkSession,
  budget: MeasureBudget,
  options: {
    now?: () => number;
    extraUs?: number;
    onBatch?: (samples: number, elapsedMs: number) => void;
    /** The device's maximum SM clock: samples taken under 75% of it are discarded. */
    maxClockMHz?: number | null;
    /** Named in the error when one sample runs past the limit on one call. */
    id?: string;
    aim?: SensitivityAim;
  } = {},
): Promise<{ samples: SampleSet; stopReason: NonNullable<Measurement['stopReason']> }> {
  const now = options.now ?? (() => performance.now());
  const samples = new SampleSet(options.maxClockMHz ?? null);
  const started = now();
  let reason: Measurement['stopReason'] = null;
  while (reason === null) {
    const elapsedMs = now() - started;
    const count = nextBatchSize(samples.size, samples.median(), elapsedMs, budget);
    // Full warm-up before the first batch; a short one after each pause to look at the numbers.
    const warmup = samples.size === 0 ? budget.warmup : Math.min(budget.warmup, 2);
    const batch = await session.sample({
      warmup, samples: count, l2Flush: budget.l2Flush, launchesPerSample: budget.launchesPerSample,
      ...(options.extraUs ? { extraUs: options.extraUs } : {}),
    });
    // Per-launch times: one sample is launchesPerSample of them.
    assertCallWithinLimit(options.id ?? 'benchmark', 'one sample', batch.samplesMs.reduce((longest, ms) => Math.max(longest, ms), 0) * budget.launchesPerSample);
    samples.add(batch, await session.clock());
    if (samples.size === 0) {
      // Everything so far was discarded: keep sampling while the time budget lasts.
      if (now() - started >= budget.maxTimeMs) {
        throw new RatchetError('ERR_RATCHET_THROTTLED', `every sample (${samples.discarded}) was taken while the device throttled (power or thermal); let it cool and re-run`);
      }
      continue;
    }
    const elapsedAfter = now() - started;
    options.onBatch?.(samples.size, elapsedAfter);
    reason = stopReason(samples.sorted, elapsedAfter, budget, samples.autocorrelation(), options.aim);
  }
  return { samples, stopReason: reason };
}

/**
 * One benchmark: correctness on fresh inputs first (a failing kernel is never timed), then
 * samples in growing batches until the stopping rule is met.
 */
export async function measureBenchmark(
  backend: MeasureBackend,
  benchmark: Benchmark,
  options: MeasureOptions & { index?: number; total?: number },
): Promise<Measurement> {
  const { budget, now = () => performance.now() } = options;
  const id = benchmarkId(benchmark);
  const variant = options.variantFor?.(benchmark);
  const session = await backend.open(benchmark, {
    ...(variant === undefined ? {} : { variant }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const { flops, bytes } = session.work;
  try {
    const checkStarted = now();
    const correctness = await session.check();
    assertCallWithinLimit(id, 'its correctness check', now() - checkStarted);
    if (!correctness.passed) {
      return {
        id, benchmark, status: 'invalid', variant: session.variant, samplesMs: [], summary: null,
        flops, bytes, tflops: null, gbps: null, roof: null, roofFraction: null,
        correctness, stopReason: null, clockStart: null, clockEnd: null, kernelIdentity: session.kernelIdentity ?? null,
      };
    }
    const timed = await budgetForTimer(session, backend.device, budget);
    const clockStart = await session.clock();
    const { samples, stopReason: reason } = await sampleUntilStop(session, timed, {
      now,
      id,
      ...(options.aim ? { aim: options.aim } : {}),
      maxClockMHz: backend.device.smClockMHz,
      onBatch: (samples, elapsedMs) =>
        options.onProgress?.({ id, index: options.index ?? 0, total: options.total ?? 1, samples, elapsedMs }),
    });
    const clockEnd = await session.clock();
    const summary: Summary = summarize(samples.samplesMs);
    return {
      id, benchmark, status: 'ok', variant: session.variant, ...samples.fields(), summary, flops, bytes,
      ...roofline(backend.device, flops, bytes, summary.median),
      correctness, stopReason: reason, clockStart, clockEnd, kernelIdentity: session.kernelIdentity ?? null,
      ...(timed.launchesPerSample !== budget.launchesPerSample ? { launchesPerSample: timed.launchesPerSample } : {}),
    };
  } finally {
    await session.close();
  }
}

/** Every benchmark of a suite, in order, one after another (never two on one device at once). */
export async function measureSuite(backend: MeasureBackend, benchmarks: readonly Benchmark[], options: MeasureOptions): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (const [index, benchmark] of benchmarks.entries()) {
    const measurement = await measureBenchmark(backend, benchmark, { ...options, index, total: benchmarks.length });
    options.onMeasured?.(measurement, index, benchmarks.length);
    measurements.push(measurement);
  }
  return measurements;
}
