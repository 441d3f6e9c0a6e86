import { Type, type Static } from '@sinclair/typebox';
import { DeviceSchema } from './device.js';
import { ReportedStatisticsSchema } from './imported.js';
import { SummarySchema } from './measurement.js';
import { EntryDigestSchema } from './samples-digest.js';
import { Bool, ByBenchmarkId, Described, Dict, NonEmptyString, Nullable, Obj, OneOf, Positive, PositiveArray, schemaId, SchemaVersion, Str, Within } from './schema-parts.js';

// .ratchet/baseline.json and the lines of its moves log (.ratchet/history.jsonl), defined once:
// the types below, validateBaseline / validateMoveEvent and schema/ratchet-baseline.schema.json
// and schema/ratchet-history-event.schema.json all come from these schemas.

/** How a level was reached (BaselineEntry.acceptedAs, MoveEvent.event). */
export const historyEvents = ['new', 'improvement', 'accept', 'correction'] as const;

/** Run medians a baseline entry keeps (BaselineEntry.runMedians): enough to estimate a spread, few enough to follow a machine that changes. */
export const runMediansKept = 10;

/** One run's median of a benchmark, and the commit it measured (null outside git). */
export const RunMedianSchema = Obj({ sha: Nullable(Str()), medianMs: Positive() });
export type RunMedian = Static<typeof RunMedianSchema>;

/** The accepted level of one benchmark on one kind of device. */
export const BaselineEntrySchema = Described('The accepted level of one benchmark on one kind of device: its samples and summary, or the statistics a harness reported.', {
  summary: Nullable(SummarySchema, { description: 'Null when the figure was imported from a harness that reported statistics only (`reported`).' }),
  samplesMs: Type.Optional(PositiveArray({
    description:
      'The raw samples the summary came from, ascending, so later comparisons can test against them. Entries written since issue 26 ' +
      'keep `digest` instead (a few KB, not every sample); one of the two is there, but for an imported figure with `reported` ' +
      'statistics: an empty array or neither.',
  })),
  reported: Type.Optional(ReportedStatisticsSchema),
  samplesKcycles: Type.Optional(PositiveArray({ description: 'The same samples in SM kilocycles (ms x MHz), ascending; absent where the clock was unknown.' })),
  digest: Type.Optional(EntryDigestSchema),
  kernelIdentity: Type.Optional(NonEmptyString({ description: 'Which machine code produced them (Measurement.kernelIdentity), when known.' })),
  variant: Str({ description: 'The kernel variant that produced these numbers.' }),
  sha: Nullable(Str(), {
    description:
      'Commit the figure was accepted at (null outside git, or in a repository with no commit yet). A cross-run regression is confirmed ' +
      'by building it; an entry without one cannot be confirmed.',
  }),
  dirty: Type.Optional(Bool({
    description:
      'The tree had uncommitted changes when the figure was stored, so `sha` is not quite the code measured. A later clean run at a ' +
      'commit that measures the same machine code (A/A) records that commit.',
  })),
  acceptedAt: Str({ description: 'ISO 8601 time it was accepted.' }),
  acceptedAs: OneOf(historyEvents, {
    description:
      '`new`, `improvement`, `accept` (an explicit, possibly slower, figure), or `correction` (the same machine code measured ' +
      'significantly faster: the figure before was measured slow).',
  }),
  reason: Type.Optional(Str({ description: 'Why a slower figure was accepted; required when acceptedAs is `accept`.' })),
  autocorrelation: Type.Optional(Within(-1, 1, {
    description:
      'Lag-1 rank autocorrelation of the samples in the order they were taken (they are stored sorted, so it cannot be recomputed from ' +
      "them). Absent: the current run's figure is used.",
  })),
  runMedians: Type.Optional(Type.Array(RunMedianSchema, {
    maxItems: runMediansKept,
    description:
      "The latest runs at this level, oldest first: the run that set it, then each later commit's run judged unchanged against it (one " +
      'per commit). Their spread is the run-to-run component of cross-run comparisons.',
  })),
});
export type BaselineEntry = Static<typeof BaselineEntrySchema>;

export const DeviceBaselineSchema = Obj({
  device: DeviceSchema,
  benchmarks: ByBenchmarkId(BaselineEntrySchema, { description: 'Keyed by benchmark id.' }),
});
export type DeviceBaseline = Static<typeof DeviceBaselineSchema>;

// 2: benchmarks of any problem (docs/problem-contract.md); 1 held attention shapes only and is still read.
export const baselineSchemaVersion = 2;

/** `.ratchet/baseline.json`: per device key, per benchmark id, the level reached. */
export const BaselineSchema = Obj({
  schemaVersion: SchemaVersion(baselineSchemaVersion, [1]),
  devices: Dict(DeviceBaselineSchema, { description: 'Keyed by device key (Device.deviceKey).' }),
}, {
  $id: schemaId('ratchet-baseline.schema.json'),
  title: '.ratchet/baseline.json',
  description: 'The accepted level of every benchmark, per device key and benchmark id: what later runs are judged against.',
});
export type Baseline = Static<typeof BaselineSchema>;

/**
 * One line of the baseline's moves log (`paths.moves`, `.ratchet/history.jsonl` by default): what a
 * ratchet step changed, appended, never rewritten. Not the run history (`.ratchet/runs/`). The schema
 * keeps its published name (ratchet-history-event.schema.json).
 */
export const HistoryEventSchema = Obj({
  time: Str(),
  deviceKey: NonEmptyString(),
  benchmarkId: NonEmptyString(),
  event: OneOf(historyEvents),
  fromMedianMs: Nullable(Positive(), {
    description:
      'Baseline median before, ms (null for new). For an imported figure with no samples, the figure that stands for it (the median ' +
      'where reported, else the mean, else the number).',
  }),
  toMedianMs: Positive(),
  sha: Nullable(Str()),
  reason: Type.Optional(Str()),
}, {
  $id: schemaId('ratchet-history-event.schema.json'),
  title: 'a line of .ratchet/history.jsonl',
  description: 'One step of the baseline (its moves log, one JSON object per line): what a ratchet step changed, appended, never rewritten.',
});
export type MoveEvent = Static<typeof HistoryEventSchema>;

/** @deprecated The moves log's line was called a history event: use MoveEvent. */
export type HistoryEvent = MoveEvent;
