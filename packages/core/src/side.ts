// One side of a measurement: a session opened on one benchmark (a build, a variant, a peer, or one
// of calibrate's two sample sets of a session), checked, then sampled (sampling.ts) and made a
// record (measurement-record.ts). bench measures one side; run --base two (head and base);
// autotune one per variant; sota ours and each peer; calibrate two on one session.
import { benchmarkId, type Benchmark, type Correctness, type Device } from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { assertCallWithinLimit } from './cost.js';
import { SampleSet } from './sample-set.js';

export interface Side {
  /** The benchmark's id, named by the limit on one call. */
  id: string;
  /** Where it runs: its peaks place a record on the roofline, its maximum clock drops throttled samples. */
  device: Device;
  session: BenchmarkSession;
  samples: SampleSet;
  /** A busy-wait of this many microseconds inside every sample (calibration only). */
  extraUs?: number;
  /**
   * Held to the limit on one call (cost.ts callLimitMs): our own sessions are; a peer answers to
   * its own request timeout instead, and a slow peer is its column's failure, not the run's.
   */
  limited: boolean;
}

/** A side of `session`, not yet sampled. */
export function sideOf(session: BenchmarkSession, device: Device, benchmark: Benchmark, options: { extraUs?: number; limited?: boolean } = {}): Side {
  return {
    id: benchmarkId(benchmark), device, session, samples: new SampleSet(device.smClockMHz), limited: options.limited ?? true,
    ...(options.extraUs ? { extraUs: options.extraUs } : {}),
  };
}

/** A session of our own opened on `benchmark` as a side: `variant` (absent: the backend's default), `seed` (the shared inputs). */
export async function openSide(backend: MeasureBackend, benchmark: Benchmark, options: { variant?: string; seed?: number } = {}): Promise<Side> {
  const session = await backend.open(benchmark, {
    ...(options.variant === undefined ? {} : { variant: options.variant }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  return sideOf(session, backend.device, benchmark);
}

/** The side's correctness on fresh inputs (never timed); a check of ours past the limit on one call is refused. */
export async function checkSide(side: Side, now: () => number = () => performance.now()): Promise<Correctness> {
  const started = now();
  const correctness = await side.session.check();
  if (side.limited) assertCallWithinLimit(side.id, 'its correctness check', now() - started);
  return correctness;
}

/** Closes every side's session, in order. */
export async function closeSides(sides: readonly Side[]): Promise<void> {
  for (const side of sides) await side.session.close();
}
