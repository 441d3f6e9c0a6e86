// The one builder of measurement records: whatever measured a benchmark (a side sampled here, a
// pass taken again, calibrate's sample sets, another harness's output read by import/, that
// harness's runs), its Measurement is made here, so every record has the same fields in the same
// order and the same roofline; and the run's record around them.
import { summarize } from '@ratchet/stats';
import {
  benchmarkId,
  runResultSchemaVersion,
  type Benchmark,
  type ClockReading,
  type Correctness,
  type Device,
  type GitInfo,
  type MeasureBudget,
  type Measurement,
  type ReportedStatistics,
  type RunResult,
  type TimingMethod,
  type Work,
} from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import type { Side } from './side.js';
import type { StopReason } from './stopping-rule.js';

/** Where this shape sits on the device's roofline, from its peaks (null where they are unknown). */
export function roofline(device: Pick<Device, 'peakTflops' | 'peakBandwidthGBps'>, flops: number, bytes: number, medianMs: number): Pick<Measurement, 'tflops' | 'gbps' | 'roof' | 'roofFraction'> {
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

/** The fields a record takes from its samples (SampleSet.fields). */
export type SampleFields = Pick<Measurement, 'samplesMs' | 'samplesClockMHz' | 'discardedSamples' | 'sampleTurns'>;

/** How a benchmark's samples were taken. */
export interface Timed {
  /** Empty when `reported` stands in for them. */
  samples: SampleFields;
  /** The statistics another harness reported in place of samples (an import): no summary then. */
  reported?: ReportedStatistics;
  stopReason: StopReason | null;
  clockStart: ClockReading | null;
  clockEnd: ClockReading | null;
  /** Launches per sample, when the sampler chose more than the budget's (timer-ticks.ts). */
  launchesPerSample?: number;
}

/** What a record is made of, whatever measured it. */
export interface RecordInput {
  benchmark: Benchmark;
  variant: string;
  /** The work of one call, with the device whose peaks place it on the roofline; null where nobody counted it (calibrate's sample sets). */
  work: { work: Work; device: Pick<Device, 'peakTflops' | 'peakBandwidthGBps'> } | null;
  /** Null: not checked by Ratchet (an imported harness timed it, nothing compared its output). */
  correctness: Correctness | null;
  /** The samples; null when the benchmark was never timed (its check failed): an invalid record. */
  timed: Timed | null;
  /** Absent: none recorded (calibrate compares two sample sets of one session; an import). */
  kernelIdentity?: string | null;
  /** Imported: the benchmark's name in its harness's own terms. */
  harnessName?: string;
}

/** A Measurement: `ok` with its summary and roofline, or `invalid` and untimed. */
export function measurementRecord(input: RecordInput): Measurement {
  const { benchmark, work, timed } = input;
  const { flops, bytes } = work?.work ?? { flops: 0, bytes: 0 };
  const identity = input.kernelIdentity === undefined ? {} : { kernelIdentity: input.kernelIdentity };
  const named = input.harnessName === undefined ? {} : { harnessName: input.harnessName };
  const head = { id: benchmarkId(benchmark), benchmark };
  const unrated = { tflops: null, gbps: null, roof: null, roofFraction: null };
  if (!timed) {
    return {
      ...head, status: 'invalid', variant: input.variant, samplesMs: [], summary: null, flops, bytes, ...unrated,
      correctness: input.correctness, stopReason: null, clockStart: null, clockEnd: null, ...identity, ...named,
    };
  }
  const summary = timed.samples.samplesMs.length > 0 || !timed.reported ? summarize(timed.samples.samplesMs) : null;
  const rates = work && summary ? roofline(work.device, flops, bytes, summary.median) : unrated;
  return {
    ...head, status: 'ok', variant: input.variant, ...timed.samples, summary, ...(timed.reported && !summary ? { reported: timed.reported } : {}), flops, bytes, ...rates,
    correctness: input.correctness, stopReason: timed.stopReason, clockStart: timed.clockStart, clockEnd: timed.clockEnd, ...identity, ...named,
    ...(timed.launchesPerSample === undefined ? {} : { launchesPerSample: timed.launchesPerSample }),
  };
}

/** How a side's pass went, for its record. */
export interface SidePass {
  /** Null when the side was not sampled (its check, or another side's, failed). */
  stopReason: StopReason | null;
  /** Launches per sample the probe chose, when more than the budget's; null otherwise. */
  launches: number | null;
  /** The side took turns with others: its batches are turns that pair with theirs (Measurement.sampleTurns). */
  turns: boolean;
  /** The clock read before sampling began (bench's lone side); null where not read. */
  clockStart?: ClockReading | null;
}

/**
 * A side as a record: invalid and untimed when its check failed, else its samples (the clock read
 * at the end). A side whose check passed but that was not sampled (another side's check failed)
 * is recorded from the samples it has, none.
 */
export async function sideRecord(benchmark: Benchmark, side: Side, correctness: Correctness, pass: SidePass): Promise<Measurement> {
  const { session } = side;
  const timed: Timed | null = correctness.passed
    ? {
        samples: side.samples.fields({ turns: pass.turns }), stopReason: pass.stopReason, clockStart: pass.clockStart ?? null, clockEnd: await session.clock(),
        ...(pass.launches === null ? {} : { launchesPerSample: pass.launches }),
      }
    : null;
  return measurementRecord({ benchmark, variant: session.variant, work: { work: session.work, device: side.device }, correctness, timed, kernelIdentity: session.kernelIdentity ?? null });
}

/**
 * A record taken again, its new samples added to the first ones (an invalid retake wins): the
 * second pass's stop reason and clocks, the first pass's launches per sample (a pass taken again
 * keeps them, timer-ticks.ts), clocks kept only when both passes read them, and an interleaved
 * side's turns run on into its second pass.
 */
export function withMoreSamples(first: Measurement, again: Measurement, device: Pick<Device, 'peakTflops' | 'peakBandwidthGBps'>): Measurement {
  if (again.status !== 'ok' || first.status !== 'ok') return again;
  const both = <T>(pick: (m: Measurement) => T[] | undefined): T[] | undefined => {
    const [a, b] = [pick(first), pick(again)];
    return a && b ? [...a, ...b] : undefined;
  };
  const clocks = both((m) => m.samplesClockMHz);
  const turns = both((m) => m.sampleTurns);
  const discarded = (first.discardedSamples ?? 0) + (again.discardedSamples ?? 0);
  const samples: SampleFields = {
    samplesMs: [...first.samplesMs, ...again.samplesMs],
    ...(turns ? { sampleTurns: turns } : {}),
    ...(clocks ? { samplesClockMHz: clocks } : {}),
    ...(discarded ? { discardedSamples: discarded } : {}),
  };
  return measurementRecord({
    benchmark: again.benchmark, variant: again.variant, correctness: again.correctness,
    // A record nobody counted the work of (calibrate's sample sets) stays off the roofline.
    work: first.tflops === null ? null : { work: { flops: first.flops, bytes: first.bytes }, device },
    timed: {
      samples, stopReason: again.stopReason, clockStart: again.clockStart, clockEnd: again.clockEnd,
      ...(first.launchesPerSample === undefined ? {} : { launchesPerSample: first.launchesPerSample }),
    },
    ...(again.kernelIdentity === undefined ? {} : { kernelIdentity: again.kernelIdentity }),
    ...(again.harnessName === undefined ? {} : { harnessName: again.harnessName }),
  });
}

export function timingMethod(backend: MeasureBackend, budget: MeasureBudget): TimingMethod {
  const gpu = backend.device.backend === 'cuda';
  return {
    clock: gpu ? 'cuda-events' : 'steady-clock',
    warmup: budget.warmup,
    l2Flush: gpu && budget.l2Flush,
    launchesPerSample: gpu ? budget.launchesPerSample : 1,
  };
}

/** A run's record: its measurements, taken on `backend`'s device with `budget`, from the commit `git` names. */
export function runRecord(backend: MeasureBackend, budget: MeasureBudget, run: { git: GitInfo | null; createdAt?: string; measurements: Measurement[] }): RunResult {
  return {
    schemaVersion: runResultSchemaVersion, createdAt: run.createdAt ?? new Date().toISOString(), git: run.git,
    device: backend.device, timing: timingMethod(backend, budget), measurements: run.measurements,
  };
}
