import { Type, type Static } from '@sinclair/typebox';
import { importFormats } from './import-formats.js';
import { Described, Int, NonEmptyString, NonNegative, Nullable, Obj, OneOf, Positive, Str } from './schema-parts.js';
// Measurements Ratchet did not take itself: figures read from another harness's output (nvbench,
// Google Benchmark, pytest-benchmark, Triton's perf_report, a samples file any script writes). They
// are a measurement source like a session, with two differences the whole pipeline keeps in view:
// nothing of Ratchet checked the kernel's output, and the harness may have kept only statistics
// (or one number) in place of samples.

/** Where an imported run's figures came from. */
export const ImportedFromSchema = Described(
  'Present when another harness took these figures and Ratchet read its output (`--from`): nothing of it was checked by Ratchet, and ' +
  'its device is the one the harness reported.', {
  format: OneOf(importFormats, { description: 'Which reader parsed the files (docs/harnesses.md).' }),
  harness: NonEmptyString({ description: 'The harness as its output names itself (`nvbench`, `google-benchmark`, ...; a samples file names its own).' }),
  harnessVersion: Nullable(Str(), { description: "The harness's version where its output says it (nvbench's, the library's, pytest-benchmark's); null when it does not." }),
  files: Type.Array(Str(), { description: 'The files read, as given on the command line.' }),
  runs: Type.Optional(Int(1, {
    description: '`ratchet run --command`: how many times the harness ran for this result (its runs are the turns of `sampleTurns`). Absent for a file imported once.',
  })),
});
export type ImportedFrom = Static<typeof ImportedFromSchema>;

const reportedKinds = ['mean-std', 'median-iqr', 'single'] as const;

/**
 * What a harness reported of a benchmark's times when it kept no samples (times in milliseconds):
 * mean and standard deviation over n, median and quartiles over n, or one number.
 */
export const ReportedStatisticsSchema = Type.Union([
  Obj({ kind: Type.Literal('mean-std'), n: Int(1), meanMs: Positive(), stdMs: NonNegative() }),
  Obj({ kind: Type.Literal('median-iqr'), n: Int(1), medianMs: Positive(), p25Ms: Positive(), p75Ms: Positive() }),
  Obj({
    kind: Type.Literal('single'),
    valueMs: Positive(),
    statistic: NonEmptyString({ description: "What the number is, in the harness's words (`median`, `mean over 1000 iterations`, ...)." }),
    roundingMs: NonNegative({
      description: "Half the last digit the file kept, ms (Triton's perf_report CSV keeps one decimal): the number may be off by this much; 0 when written in full.",
    }),
  }),
], { description: `What a harness reported of a benchmark's times when it kept no samples (ms): kind ${reportedKinds.join(', ')}.` });
export type ReportedStatistics = Static<typeof ReportedStatisticsSchema>;

export type ReportedKind = ReportedStatistics['kind'];

/** The figure that stands for a benchmark's time in tables and trends: the median where known, else the mean, else the one number. */
export function reportedCentralMs(stats: ReportedStatistics): number {
  if (stats.kind === 'median-iqr') return stats.medianMs;
  if (stats.kind === 'mean-std') return stats.meanMs;
  return stats.valueMs;
}

/**
 * The figure of one side (a measurement or a baseline entry): its samples' median, or, where the
 * harness reported statistics only, reportedCentralMs; null when it has neither (invalid).
 */
export function centralMs(side: { summary: { median: number } | null; reported?: ReportedStatistics }): number | null {
  if (side.summary) return side.summary.median;
  return side.reported ? reportedCentralMs(side.reported) : null;
}

/** The statistic reportedCentralMs gives, in words. */
export function reportedCentralName(stats: ReportedStatistics): string {
  return stats.kind === 'median-iqr' ? 'median' : stats.kind === 'mean-std' ? 'mean' : stats.statistic;
}

/**
 * How much statistics a comparison could rest on, the poorer side deciding: `samples` (the usual
 * tests), `summary` (a test on the reported statistics), `none` (one number a side: a threshold
 * check only, no statistics).
 */
export type EvidenceLevel = 'samples' | 'summary' | 'none';
