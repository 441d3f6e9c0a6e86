import type { Benchmark, MeasureBudget, Measurement } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { sideRecord } from './measurement-record.js';
import { sampleSides } from './sampling.js';
import type { SensitivityAim } from './sensitivity-aim.js';
import { checkSide, closeSides, openSide } from './side.js';
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

/**
 * One benchmark, one side (side.ts): correctness on fresh inputs first (a failing kernel is never
 * timed), then samples in growing batches until the stopping rule is met (sampling.ts), then its
 * record (measurement-record.ts).
 */
export async function measureBenchmark(
  backend: MeasureBackend,
  benchmark: Benchmark,
  options: MeasureOptions & { index?: number; total?: number },
): Promise<Measurement> {
  const { budget, now = () => performance.now() } = options;
  const variant = options.variantFor?.(benchmark);
  const side = await openSide(backend, benchmark, {
    ...(variant === undefined ? {} : { variant }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  try {
    const correctness = await checkSide(side, now);
    if (!correctness.passed) return await sideRecord(benchmark, side, correctness, { stopReason: null, launches: null, turns: false });
    const timed = await budgetForTimer(side.session, backend.device, budget);
    const clockStart = await side.session.clock();
    const stopReason = await sampleSides([side], timed, {
      now,
      ...(options.aim ? { aim: options.aim } : {}),
      onBatch: (samples, elapsedMs) => options.onProgress?.({ id: side.id, index: options.index ?? 0, total: options.total ?? 1, samples, elapsedMs }),
    });
    const launches = timed.launchesPerSample !== budget.launchesPerSample ? timed.launchesPerSample : null;
    return await sideRecord(benchmark, side, correctness, { stopReason, launches, turns: false, clockStart });
  } finally {
    await closeSides([side]);
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
