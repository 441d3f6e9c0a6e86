// A baseline entry's samples kept small (issue 26): the sorted samples as at most a few dozen runs
// of consecutive values, each [lowest, highest, count]. A run of one value is exact; a run of
// several is read back evenly spread between its ends, which are exact. The baseline's builder
// (@ratchet/baseline's digest.ts) cuts runs so that every order statistic its summary names is an
// end, so the summary is that of the samples read back.

/** The samples of a baseline entry, digested: what a verdict against it needs, in a few KB. */
export interface SamplesDigest {
  /** Samples it stands for (the summary's n). */
  n: number;
  /** The timer's step the samples showed, in their unit (@ratchet/stats' resolutionOf); 0: every sample equal. */
  resolution: number;
  /** The sorted samples as consecutive runs: [lowest, highest, count], ascending; lowest = highest: count samples of that value. */
  groups: [number, number, number][];
}

/** BaselineEntry.digest: the samples in ms and, where the clock was read, in SM kilocycles. */
export interface EntryDigest {
  samplesMs: SamplesDigest;
  /** Kilocycles when the clock varied between samples (sorted apart from the times). */
  samplesKcycles?: SamplesDigest;
  /** The one SM clock every sample ran at, MHz: the kilocycles are the times x this. */
  steadyClockMHz?: number;
}

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
