// The committed baseline keeps a digest of each entry's samples, not every sample (issue 26): 26
// entries of every sample made 1.7 MB, about 65 KB an entry rewritten on each move, which at 200
// shapes on 3 GPU kinds is some 40 MB a move in git. A digest is the sorted samples as runs of
// consecutive values (types' samples-digest.ts): runs of one value kept exact (a ticking timer's
// samples are mostly such runs), the rest cut into runs of about n / 32 samples read back evenly
// spread between their exact ends. The ends fall on every order statistic the summary names, so
// the summary is the digest's own, and a verdict reads the timer's step from the digest rather
// than from the spread. Raw samples stay in the results files (results/current.json, the CI's
// artifacts). The verdicts are those of every sample: the committed H100 and H200 entries at 15
// scales (core's digest-equivalence.test.ts), and `node scripts/bench-stats.mjs --digest` over
// the noise models (docs/benchmarks.md). 32 runs measured as well as 64 there (estimates within
// 0.03 percentage points either way), at 3-5 KB an entry of baseline.json instead of 6-10.
import { medianCiRank, resolutionOf, sortedSamples } from '@ratchet/stats';
import { expandDigest, type Baseline, type BaselineEntry, type EntryDigest, type SamplesDigest } from '@ratchet/types';

/** Runs a digest aims at (a few more where the summary's order statistics cut one): 32 x 3 numbers, about 2 KB. */
export const digestGroups = 32;
/**
 * Runs of the kilocycles where the clock varied: they only tell whether a change in time is one
 * in cycles (the clock's doing, else), at half the runs the times take.
 */
export const kcyclesDigestGroups = 16;

/**
 * The ranks a run must end at so that the summary's order statistics read back exact: each
 * quantile's lower neighbour (its upper one starts the next run), and the median CI's ranks.
 */
function summaryCuts(n: number): number[] {
  const below = (p: number) => Math.floor((n - 1) * p);
  const k = medianCiRank(n, 0.95);
  const cuts = [0.05, 0.25, 0.5, 0.75, 0.95, 0.99].map(below);
  if (k >= 1) cuts.push(k - 1, n - k - 1);
  return [...new Set(cuts.filter((rank) => rank >= 0 && rank < n - 1))].sort((a, b) => a - b);
}

/** Runs of `sorted[from..to)` of about `target` samples each, never splitting a value's run unless it is that long alone. */
function runsOf(sorted: Float64Array, from: number, to: number, target: number): [number, number, number][] {
  const runs: [number, number, number][] = [];
  let start = from;
  const close = (end: number) => {
    if (end > start) runs.push([sorted[start]!, sorted[end - 1]!, end - start]);
    start = end;
  };
  let i = from;
  while (i < to) {
    let end = i + 1;
    while (end < to && sorted[end] === sorted[i]) end += 1;
    // A value's own run as long as a run: kept exact, alone.
    if (end - i >= target) {
      close(i);
      close(end);
    } else if (end - start >= target) close(end);
    i = end;
  }
  close(to);
  return runs;
}

/** The digest of ascending samples: at most digestGroups runs, plus the summary's cuts. */
export function digestSorted(sorted: Float64Array, groups = digestGroups): SamplesDigest {
  const n = sorted.length;
  const cuts = summaryCuts(n);
  const distinct = sorted.reduce((count, value, i) => count + (i === 0 || value !== sorted[i - 1] ? 1 : 0), 0);
  const bounds = [0, ...cuts.map((rank) => rank + 1), n];
  let target = distinct <= groups ? 1 : Math.ceil(n / groups);
  for (;;) {
    const runs = bounds.slice(1).flatMap((end, i) => runsOf(sorted, bounds[i]!, end, target));
    if (runs.length <= groups + cuts.length + 1 || target >= n) return { n, resolution: resolutionOf(sorted), groups: runs };
    target = Math.ceil(target * 1.25);
  }
}

/**
 * An entry's samples (and kilocycles) as its digest; an entry that has one already, or an imported
 * figure with no samples (`reported`), is returned as it is.
 */
export function digestEntry(entry: BaselineEntry): BaselineEntry {
  if (!entry.samplesMs || entry.reported) return entry;
  const { samplesMs, samplesKcycles, ...rest } = entry;
  const ms = sortedSamples(samplesMs);
  const digest: EntryDigest = { samplesMs: digestSorted(ms) };
  if (samplesKcycles && samplesKcycles.length === samplesMs.length) {
    // Times at one clock are cycles x a constant: the clock is all the cycles need.
    const clock = samplesKcycles[0]! / samplesMs[0]!;
    const steady = samplesKcycles.every((kc, i) => Math.abs(kc / samplesMs[i]! - clock) <= 1e-9 * clock);
    if (steady) digest.steadyClockMHz = clock;
    else digest.samplesKcycles = digestSorted(sortedSamples(samplesKcycles), kcyclesDigestGroups);
  }
  return { ...rest, digest };
}

/** Every entry of every device digested: what the baseline file holds. */
export function digestBaseline(baseline: Baseline): Baseline {
  const devices = Object.fromEntries(Object.entries(baseline.devices).map(([key, device]) => [
    key, { ...device, benchmarks: Object.fromEntries(Object.entries(device.benchmarks).map(([id, entry]) => [id, digestEntry(entry)])) },
  ]));
  return { ...baseline, devices };
}

/** Entries that still keep every sample (written before issue 26): the next write migrates them. */
export function undigestedEntries(baseline: Baseline | null): number {
  return Object.values(baseline?.devices ?? {}).reduce((count, device) => count + Object.values(device.benchmarks).filter((entry) => entry.samplesMs !== undefined && !entry.reported).length, 0);
}

/** An entry's samples as a verdict reads them: ascending, with the timer's step where a digest stands for them. */
export interface EntrySamples {
  samplesMs: Float64Array;
  kcycles: Float64Array | null;
  /** The timer's step of the samples the digest stands for (in ms, and in kilocycles); null: read it from the samples. */
  resolutionMs: number | null;
  resolutionKcycles: number | null;
}

/** An imported figure's entry (`reported`) has no samples: empty here. */
export function entrySamples(entry: BaselineEntry): EntrySamples {
  const { digest } = entry;
  if (!digest) {
    const samples = entry.samplesMs ?? [];
    const kcycles = entry.samplesKcycles && entry.samplesKcycles.length === samples.length ? Float64Array.from(entry.samplesKcycles) : null;
    return { samplesMs: Float64Array.from(samples), kcycles, resolutionMs: null, resolutionKcycles: null };
  }
  const samplesMs = expandDigest(digest.samplesMs);
  const clock = digest.steadyClockMHz;
  const kcycles = clock !== undefined ? samplesMs.map((ms) => ms * clock) : digest.samplesKcycles ? expandDigest(digest.samplesKcycles) : null;
  const resolutionKcycles = clock !== undefined ? digest.samplesMs.resolution * clock : digest.samplesKcycles?.resolution ?? null;
  return { samplesMs, kcycles, resolutionMs: digest.samplesMs.resolution, resolutionKcycles };
}
