import { seededRandom } from '@ratchet/stats';
import type { Benchmark, Device, SampleBatch, SampleOptions } from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';

/**
 * How a simulated device's samples scatter: the noise models of issue 13 (and any mix of them).
 * Every field but the first two is optional; all are plain numbers, so a model reads as JSON.
 */
export interface NoiseModel {
  /** Median time of one launch of the default variant, ms. */
  medianMs: number;
  /** Lognormal sigma of a sample (0.01: 1%). */
  sigma: number;
  /** Lag-1 autocorrelation of the log-noise from one sample of the device to the next (AR(1)). */
  autocorrelation?: number;
  /** A share of samples slower by a factor drawn uniformly from [low, high] (a neighbour, an interrupt). */
  outliers?: { share: number; factor: readonly [number, number] };
  /** The timer's tick, ms, read at a random phase as CUDA events are (0.0005 for 0.5 us). */
  tickMs?: number;
  /**
   * A slow wander of the device's level under the per-sample noise: an AR(1) of the log with
   * lag-1 `autocorrelation` per sample and sd `sigma`, shared by every session (the clock of a
   * board at its power cap, which moved 1600-1980 MHz over hundreds of samples on the H200).
   */
  wander?: { sigma: number; autocorrelation: number };
  /** Relative drift per sample the device takes (the device warming up over a session). */
  driftPerSample?: number;
  /** Spread of the device's level from run to run (sd, relative): another machine, day, driver. `nextRun()` draws the next. */
  runSpread?: number;
  /**
   * Spread of the level from one sampling call to the next (sd, relative): every sample of a batch
   * shares it (a state that lasts a batch, as a 1-2% slower spell on the H100 lasted a few).
   */
  batchSpread?: number;
  /** Time spent outside the timed region per sample, ms (L2 flush, event sync). Default 0.045. */
  overheadMs?: number;
}

export interface SimulatedBackendOptions {
  seed: number;
  /** Variants and their speed relative to the default (1.1: 10% slower); the first is the default. */
  variants?: Record<string, number>;
  /** Kernel identity of every session (absent: unknown), to simulate A/A runs of the same code. */
  kernelIdentity?: string;
}

/** A simulated device, its virtual clock (the `now` to give the measurement loop), and a way to start its next run. */
export type SimulatedBackend = MeasureBackend & { now: () => number; samplesTaken: () => number; nextRun: () => void };

const simulatedDevice: Device = {
  backend: 'cuda', name: 'simulated GPU', deviceKey: 'simulated/sm90', computeCapability: '9.0', multiprocessorCount: 132,
  l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null,
  peakBandwidthGBps: null, peakTflops: null,
};

/**
 * A MeasureBackend whose device is a noise model: what `pnpm bench:stats` drives the real
 * measurement loop, judge, compare and calibrate through, and what the tests of the loop use to
 * reproduce a GPU's noise without one. Time is virtual: each sample advances the clock by its
 * own duration and the overhead, so budgets in milliseconds behave as on a device.
 */
export function simulatedBackend(model: NoiseModel, options: SimulatedBackendOptions): SimulatedBackend {
  const random = seededRandom(options.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-300))) * Math.cos(2 * Math.PI * random());
  const rho = model.autocorrelation ?? 0;
  const variants = options.variants ?? { default: 1 };
  let clockMs = 0;
  let taken = 0;
  let state = gaussian();
  let wandering = gaussian();
  const wander = model.wander ?? { sigma: 0, autocorrelation: 0 };
  const drawLevel = () => Math.exp((model.runSpread ?? 0) * gaussian());
  let level = drawLevel();
  let batchLevel = 1;
  // One launch as the device times it, every launch of a sample sharing the sample's noise.
  const sampleMs = (speed: number, launches: number, extraUs: number): number => {
    state = rho * state + Math.sqrt(1 - rho * rho) * gaussian();
    if (wander.sigma > 0) wandering = wander.autocorrelation * wandering + Math.sqrt(1 - wander.autocorrelation ** 2) * gaussian();
    taken += 1;
    let ms = model.medianMs * speed * level * batchLevel * Math.exp(model.sigma * state + wander.sigma * wandering) * (1 + (model.driftPerSample ?? 0) * taken);
    const outliers = model.outliers;
    if (outliers && random() < outliers.share) ms *= outliers.factor[0] + random() * (outliers.factor[1] - outliers.factor[0]);
    let total = ms * launches + extraUs / 1e3;
    if (model.tickMs) total = Math.max(1, Math.floor(total / model.tickMs + random())) * model.tickMs;
    clockMs += total + (model.overheadMs ?? 0.045);
    return total / launches;
  };
  const open = (_benchmark: Benchmark, opened: { variant?: string } = {}): BenchmarkSession => {
    const variant = opened.variant ?? Object.keys(variants)[0]!;
    const speed = variants[variant] ?? 1;
    return {
      variant,
      kernelIdentity: options.kernelIdentity ? `${options.kernelIdentity}:${variant}` : null,
      // Work per call is not simulated: the figures that depend on it are not what is studied here.
      work: { flops: 1e9, bytes: 1e6 },
      check: () => ({ passed: true, maxAbsError: 0, relError: 0, tolerance: 1e-3, reference: 'simulated' }),
      sample: ({ warmup, samples, launchesPerSample, extraUs }: SampleOptions): SampleBatch => {
        if (model.batchSpread) batchLevel = Math.exp(model.batchSpread * gaussian());
        for (let i = 0; i < warmup; i += 1) clockMs += model.medianMs * speed * launchesPerSample;
        return { samplesMs: Array.from({ length: samples }, () => sampleMs(speed, launchesPerSample, extraUs ?? 0)), clockMHz: null };
      },
      clock: () => ({ smClockMHz: null, throttleReasons: [] }),
      close: () => {},
    };
  };
  return { device: simulatedDevice, open, now: () => clockMs, samplesTaken: () => taken, nextRun: () => { level = drawLevel(); } };
}
