// A baseline entry's samples kept small (issue 26): the sorted samples as at most a few dozen runs
// of consecutive values, each [lowest, highest, count]. A run of one value is exact; a run of
// several is read back evenly spread between its ends, which are exact. The baseline's builder
// (@ratchet/baseline's digest.ts) cuts runs so that every order statistic its summary names is an
// end, so the summary is that of the samples read back.
import { Type, type Static } from '@sinclair/typebox';
import { Described, Int, NonNegative, Obj, Positive } from './schema-parts.js';

/** Most runs a digest holds: the builder keeps 64 and cuts a few more at the summary's order statistics. */
export const maxDigestGroups = 256;

/** The samples of a baseline entry, digested: what a verdict against it needs, in a few KB. */
export const SamplesDigestSchema = Obj({
  n: Int(1, { description: "Samples it stands for (the summary's n)." }),
  resolution: NonNegative({ description: "The timer's step the samples showed, in their unit (@ratchet/stats' resolutionOf); 0: every sample equal." }),
  groups: Type.Array(Type.Tuple([Positive(), Positive(), Int(1)]), {
    maxItems: maxDigestGroups,
    description: 'The sorted samples as consecutive runs: [lowest, highest, count], ascending; lowest = highest: count samples of that value.',
  }),
});
export type SamplesDigest = Static<typeof SamplesDigestSchema>;

/** BaselineEntry.digest: the samples in ms and, where the clock was read, in SM kilocycles. */
export const EntryDigestSchema = Described('The samples digested (samples-digest.ts): what a verdict against this entry needs, in place of samplesMs.', {
  samplesMs: SamplesDigestSchema,
  // Kilocycles when the clock varied between samples (sorted apart from the times).
  samplesKcycles: Type.Optional(SamplesDigestSchema),
  steadyClockMHz: Type.Optional(Positive({ description: 'The one SM clock every sample ran at, MHz: the kilocycles are the times x this.' })),
});
export type EntryDigest = Static<typeof EntryDigestSchema>;

/** The samples a digest stands for, ascending: each run's ends exact, what lies between evenly spread. */
export function expandDigest(digest: SamplesDigest): Float64Array {
  const values = new Float64Array(digest.n);
  let at = 0;
  for (const [low, high, count] of digest.groups) {
    for (let i = 0; i < count; i += 1) values[at + i] = low === high || count === 1 ? low : i === count - 1 ? high : low + ((high - low) * i) / (count - 1);
    at += count;
  }
  return values;
}
