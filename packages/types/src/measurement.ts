import { Type, type SchemaOptions, type Static } from '@sinclair/typebox';
import { BenchmarkForm, Bool, Described, Finite, Int, NonEmptyString, NonNegative, Nullable, Obj, OneOf, Pair, Positive, PositiveArray, schemaId, SchemaVersion, Str } from './schema-parts.js';
import { DeviceSchema } from './device.js';
import { ImportedFromSchema, ReportedStatisticsSchema } from './imported.js';
import { ShardStampSchema } from './shard-stamp.js';

// results/current.json defined once: the types below, validateRunResult and
// schema/ratchet-results.schema.json come from these schemas.

/** A closed interval [low, high], in the unit of the value it bounds. */
export type Interval = readonly [low: number, high: number];

// Every statistic of a set of times is itself a time, so positive; spread may be exactly zero, and
// only the CI bounds may dip below zero (Student t on a few noisy samples).
export const SummarySchema = Described('What @ratchet/stats makes of a set of samples. Times in milliseconds.', {
  n: Int(1), mean: Positive(), median: Positive(),
  std: NonNegative({ description: 'Sample standard deviation (n - 1).' }),
  cv: NonNegative({ description: 'Coefficient of variation: std / mean.' }),
  min: Positive(), max: Positive(), p05: Positive(), p25: Positive(), p75: Positive(), p95: Positive(), p99: Positive(),
  ci95Mean: Pair({ description: '95% confidence interval of the mean (Student t).' }),
  ci95Median: Pair({ description: '95% confidence interval of the median (distribution-free, from order statistics).' }),
});
export type Summary = Static<typeof SummarySchema>;

export const CorrectnessSchema = Described("The kernel's output checked against a reference on fresh random inputs.", {
  passed: Bool(),
  maxAbsError: NonNegative({ description: 'Largest |out - ref| over every output element.' }),
  relError: NonNegative({ description: '||out - ref|| / ||ref|| (Frobenius norms).' }),
  tolerance: NonNegative({ description: 'The relative error bound the check used for this dtype.' }),
  reference: Str({ description: 'What the result was compared with, e.g. `cpu-fp64` or `cuda-reference-fp32`.' }),
  detail: Type.Optional(Str({ description: 'Why it failed, in words, when it failed (NaN seen, unwritten outputs, error too large).' })),
  checksum: Type.Optional(Obj({ sum: Finite(), absSum: NonNegative() }, {
    description:
      'Sum and sum of |x| over the whole output on the shared inputs of the check\'s seed: two implementations given the same seed must ' +
      'agree, which `ratchet sota` uses to cross-check peers.',
  })),
});
export type Correctness = Static<typeof CorrectnessSchema>;

export const TimingMethodSchema = Described('How samples were taken, so a reader can tell cold from hot numbers.', {
  clock: OneOf(['cuda-events', 'steady-clock'] as const, { description: '`cuda-events` on the GPU, `steady-clock` on the CPU.' }),
  warmup: Int(0),
  l2Flush: Bool({ description: 'The L2 cache was flushed before each sample (cold).' }),
  launchesPerSample: Int(1, { description: 'Kernel launches per sample replayed from a CUDA Graph (1: a plain launch per sample).' }),
});
export type TimingMethod = Static<typeof TimingMethodSchema>;

/** Where the measured code came from. */
export const GitInfoSchema = Described('Where the measured code came from; null outside git.', {
  sha: NonEmptyString(),
  branch: Nullable(Str()),
  dirty: Bool({ description: 'Uncommitted changes were present.' }),
});
export type GitInfo = Static<typeof GitInfoSchema>;

/** What one sampling call asks of a backend (the native addon or any other). */
export interface SampleOptions {
  /** Untimed launches first. */
  warmup: number;
  samples: number;
  /** Flush the L2 cache before each sample (GPU backends). */
  l2Flush: boolean;
  /** Launches per sample (CUDA Graph replay when above 1); times come back per launch. */
  launchesPerSample: number;
  /** A busy-wait of this many microseconds inside each timed sample: a slowdown of known size. */
  extraUs?: number;
}

/** What one sampling call returns. */
export interface SampleBatch {
  /** Per-sample times, per launch. */
  samplesMs: number[];
  /** SM clock (MHz) read right after each sample, aligned with samplesMs; null where the device cannot tell. */
  clockMHz: number[] | null;
}

/** The compiled code a session times: the keys of its build's kernel identity file. */
export interface KernelCode {
  /** `sm_90`, `cpu`, ... */
  arch: string;
  /** The entry point's symbol (the mangled kernel name on a GPU); null when the runtime cannot name it. */
  symbol: string | null;
}

export const ClockReadingSchema = Described('SM clock and throttle state read from the device (NVML on a GPU).', {
  smClockMHz: Nullable(NonNegative()),
  throttleReasons: Type.Array(Str(), { description: "NVML's clocks-event reasons, as names (`sw_power_cap`, `hw_thermal_slowdown`, ...)." }),
});
export type ClockReading = Static<typeof ClockReadingSchema>;

export const measurementStatuses = ['ok', 'invalid'] as const;
/**
 * `ok`: checked and timed (an imported measurement: timed by its harness, checked by nothing of
 * Ratchet's). `invalid`: failed its correctness check and was not timed.
 */
export type MeasurementStatus = (typeof measurementStatuses)[number];

/** Which roof binds a shape on a device: compute (TFLOP/s is the rate that matters) or memory (GB/s). */
export const Roof = (options: SchemaOptions = {}) => Nullable(OneOf(['compute', 'memory'] as const), options);

/** One benchmark measured once. */
export const MeasurementSchema = Described(
  'One benchmark measured once: its samples and summary, or (imported from a harness that kept no samples) the statistics it ' +
  'reported; samplesMs is then empty and summary null.', {
  id: Str({ description: 'The id of `benchmark` (`flash_fwd/fp16/B32_H8_S512_D64`).' }),
  benchmark: BenchmarkForm(),
  status: OneOf(measurementStatuses, {
    description: "`ok`: checked and timed (an imported measurement: timed by its harness, checked by nothing of Ratchet's). `invalid`: failed its correctness check and was not timed.",
  }),
  variant: Str({ description: 'Which compiled variant of the kernel ran (autotuning may choose another than the default).' }),
  samplesMs: PositiveArray({ description: 'Raw per-sample times, milliseconds, in the order taken. Empty when invalid, and when `reported` stands in for them.' }),
  samplesClockMHz: Type.Optional(PositiveArray({
    description: 'SM clock (MHz) read right after each sample, aligned with samplesMs (cycles = ms x MHz x 1000). Absent when the device cannot tell (the CPU backend).',
  })),
  kernelIdentity: Type.Optional(Nullable(NonEmptyString(), {
    description:
      '`<arch>:<sha256>` of the machine code timed (native/scripts/kernel-identity.mjs): equal on two builds means the same code. Null when ' +
      'unknown (a build without the identity file).',
  })),
  summary: Nullable(SummarySchema, { description: 'Null when invalid, and when the harness reported statistics instead of samples (`reported`).' }),
  reported: Type.Optional(ReportedStatisticsSchema),
  harnessName: Type.Optional(Str({ description: "Imported: the benchmark's name in its harness's own terms (`BM_memcpy/64`, `test_sum[1000]`), before it became an id." })),
  flops: NonNegative(),
  bytes: NonNegative(),
  tflops: Nullable(NonNegative(), { description: 'flops / median time, in units of 1e12 per second.' }),
  gbps: Nullable(NonNegative(), { description: 'bytes / median time, GB/s.' }),
  roof: Roof({ description: 'Which roof binds this shape on this device: compute or memory. Null when peaks are unknown.' }),
  roofFraction: Nullable(NonNegative(), { description: 'Attained / peak of the binding roof, 0..1. Null when peaks are unknown.' }),
  correctness: Nullable(CorrectnessSchema, {
    description: "Null: not checked by Ratchet (an imported measurement's harness timed the kernel, and nothing of Ratchet's compared its output with a reference).",
  }),
  stopReason: Nullable(OneOf(['converged', 'max-samples', 'time-budget'] as const), {
    description: 'Why sampling stopped: `converged` (CI tight enough), `max-samples`, `time-budget`.',
  }),
  clockStart: Nullable(ClockReadingSchema),
  clockEnd: Nullable(ClockReadingSchema),
  discardedSamples: Type.Optional(Int(0, { description: 'Samples thrown away because the device reported throttling while they were taken.' })),
  sampleTurns: Type.Optional(Type.Array(Int(0), {
    description:
      'Interleaved measurements only (`run --base`, calibrate, autotune): how many samples were kept from each turn, in order (they add up ' +
      'to samplesMs). Two sides measured together took the same turns, so turn t of one pairs with turn t of the other.',
  })),
  launchesPerSample: Type.Optional(Int(1, {
    description:
      "Launches per sample when the sampler chose more than the budget's to keep a sample far above the timer's tick " +
      '(MeasureBudget.minSampleTicks); times are still per launch.',
  })),
});
export type Measurement = Static<typeof MeasurementSchema>;

/**
 * The fields a run's results and its comparison both open with, in this order: the file's schema
 * version (1, attention shapes only, is still read), then when, from what code, on what device and
 * how the run measured.
 */
export const runFileHead = <const V extends number>(schemaVersion: V) => ({
  schemaVersion: SchemaVersion(schemaVersion, [1]),
  createdAt: Str({ description: 'ISO 8601 time the run started.' }),
  git: Nullable(GitInfoSchema),
  device: DeviceSchema,
  timing: TimingMethodSchema,
});

// 2: benchmarks of any problem (docs/problem-contract.md); 1 held attention shapes only and is still read.
export const runResultSchemaVersion = 2;

/** One `ratchet bench`: everything measured, with what is needed to reproduce it. */
export const RunResultSchema = Obj({
  ...runFileHead(runResultSchemaVersion),
  measurements: Type.Array(MeasurementSchema),
  // imported and shard close a comparison too (comparison.ts), after fields of its own: the keys' order keeps them out of runFileHead.
  imported: Type.Optional(ImportedFromSchema),
  shard: Type.Optional(ShardStampSchema),
}, {
  $id: schemaId('ratchet-results.schema.json'),
  title: 'results/current.json',
  description: 'One run (`ratchet run`, `bench`): everything measured, with what is needed to reproduce it.',
});
export type RunResult = Static<typeof RunResultSchema>;
