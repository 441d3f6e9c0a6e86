import { Type, type Static } from '@sinclair/typebox';
import { verdicts } from './comparison.js';
import { TimingMethodSchema } from './measurement.js';
import { Bool, Described, Dict, Finite, Int, IsoTime, KernelName, NonEmptyString, NonNegative, Nullable, Obj, OneOf, Pair, Positive, schemaId, SchemaVersion, Str } from './schema-parts.js';

// A line of the run history defined once: the types below, validateRunRecord and
// schema/ratchet-run-record.schema.json come from these schemas.

export const runRecordSchemaVersion = 1;

export const RunRecordPeerSchema = Described('A peer measured in the same session as ours (`ratchet run --peers`).', {
  medianMs: Positive({ description: "The peer's median time, ms." }),
  ci95MedianMs: Pair({ description: '95% CI of that median, ms.' }),
});
export type RunRecordPeer = Static<typeof RunRecordPeerSchema>;

/**
 * One benchmark of one run, as the run history keeps it: the figures a trend needs, no samples.
 * Parameters stay opaque: the id names the benchmark, `kernel` the problem it belongs to.
 */
export const RunRecordBenchmarkSchema = Described('One benchmark of one run, as the run history keeps it: the figures a trend needs, no samples.', {
  id: NonEmptyString({ description: 'The benchmark id (`flash_fwd/fp16/B32_H8_S512_D64`): the key of every series.' }),
  kernel: KernelName({ description: "The problem's name (the benchmark's `kernel`)." }),
  dtype: Nullable(Str(), { description: "The benchmark's `dtype` parameter where it has one (the dashboard filters on it)." }),
  status: OneOf(['ok', 'invalid'] as const, { description: '`invalid`: failed its correctness check and was not timed; every figure below is null.' }),
  variant: Str({ description: 'The kernel variant that ran.' }),
  kernelIdentity: Nullable(NonEmptyString(), {
    description: 'The machine code timed: Measurement.kernelIdentity with its sha256 cut to the first 16 hex digits; null when unknown.',
  }),
  medianMs: Nullable(Positive(), { description: 'Median time per call, ms.' }),
  ci95MedianMs: Nullable(Pair(), { description: '95% confidence interval of the median, ms.' }),
  n: Int(0, { description: 'Samples the median came from (0 when invalid).' }),
  smClockMHz: Nullable(Positive(), { description: 'Median SM clock over the samples, MHz; null where the device cannot tell.' }),
  tflops: Nullable(NonNegative(), { description: 'Work rate at the median, FLOP/s in units of 1e12.' }),
  gbps: Nullable(NonNegative(), { description: 'Work rate at the median, bytes/s in units of 1e9.' }),
  roof: Nullable(OneOf(['compute', 'memory'] as const), { description: 'Which roof binds (compute: TFLOP/s is the rate that matters; memory: GB/s).' }),
  roofFraction: Nullable(NonNegative(), { description: "Attained / peak of the binding roof, 0..1; null when the device's peaks are unknown." }),
  verdict: Type.Optional(OneOf(verdicts, { description: 'The verdict against the baseline, when the run was judged.' })),
  changePct: Type.Optional(Nullable(Finite(), { description: 'Change of the median against the baseline, percent (positive is slower), when judged.' })),
  peers: Type.Optional(Dict(RunRecordPeerSchema, { description: 'Peers measured in the same session, by peer name; only the ones that ran and passed.' })),
  statistic: Type.Optional(NonEmptyString({
    description:
      "An imported figure that is not the median of samples: what medianMs holds instead, in its harness's words (`mean`, ...); " +
      'ci95MedianMs is then null, as no CI was measured. Absent: the median of samples, with its CI.',
  })),
});
export type RunRecordBenchmark = Static<typeof RunRecordBenchmarkSchema>;

/**
 * One line of the run history (docs/dashboard.md): one run on one device. Every `ratchet run`
 * on main appends one; a few hundred bytes per benchmark.
 */
export const RunRecordSchema = Obj({
  schemaVersion: SchemaVersion(runRecordSchemaVersion),
  project: Nullable(NonEmptyString(), { description: "The project the run belongs to (`github.com/owner/repo`, from git's origin); null when unknown." }),
  time: IsoTime({ description: 'ISO 8601 time the run started (RunResult.createdAt).' }),
  commit: Nullable(NonEmptyString(), { description: 'The commit measured; null outside git.' }),
  branch: Nullable(Str()),
  dirty: Bool({ description: 'Uncommitted changes were present: the figures are not those of `commit` alone.' }),
  deviceKey: NonEmptyString(),
  deviceName: Str(),
  peakTflops: Nullable(NonNegative(), { description: "The device's peak dense tensor TFLOP/s; null when unknown." }),
  peakGBps: Nullable(NonNegative(), { description: "The device's peak memory bandwidth, GB/s; null when unknown." }),
  timing: TimingMethodSchema,
  benchmarks: Type.Array(RunRecordBenchmarkSchema),
}, {
  $id: schemaId('ratchet-run-record.schema.json'),
  title: 'a line of the run history (runs/<device>/<month>.jsonl)',
  description: 'One run on one device, as the run history keeps it (docs/dashboard.md): every `ratchet run` on main appends one line.',
});
export type RunRecord = Static<typeof RunRecordSchema>;
