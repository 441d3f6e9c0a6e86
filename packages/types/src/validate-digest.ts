// A baseline entry's digest checked against itself and against its summary: a digest edited by
// hand, or cut from other samples than the summary's, is refused naming the field (exit 2), since
// a verdict would rest on samples the summary does not describe.
import { at, failWith, type Where } from './_check.js';
import type { Summary } from './measurement.js';
import { expandDigest, type EntryDigest, type SamplesDigest } from './samples-digest.js';

/** The rules of one digest across its fields (SamplesDigestSchema holds each field alone): runs that ascend and add up to n. */
function checkSamplesDigest(digest: SamplesDigest, w: Where): void {
  const groups = at(w, 'groups');
  digest.groups.forEach(([low, high, count], i) => {
    if (high < low) failWith(at(groups, i), `highest ${high} is below lowest ${low}`);
    if (high > low && count < 2) failWith(at(groups, i), `a run of one sample has one value, but lowest ${low} and highest ${high} differ`);
    const before = digest.groups[i - 1];
    if (before && low < before[1]) failWith(at(groups, i), `lowest ${low} is below the highest of the run before (${before[1]}): runs ascend`);
  });
  const total = digest.groups.reduce((sum, [, , count]) => sum + count, 0);
  if (total !== digest.n) failWith(groups, `the runs hold ${total} samples, not n = ${digest.n}`);
}

/** A baseline entry's digest (already of the schema's shape) checked against itself. */
export function checkEntryDigest(digest: EntryDigest, where: Where): void {
  checkSamplesDigest(digest.samplesMs, at(where, 'samplesMs'));
  if (digest.samplesKcycles) checkSamplesDigest(digest.samplesKcycles, at(where, 'samplesKcycles'));
}

/** R type 7, as @ratchet/stats' quantileSorted (types depends on nothing: repeated here). */
function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

const quantiles = [['min', 0], ['p05', 0.05], ['p25', 0.25], ['median', 0.5], ['p75', 0.75], ['p95', 0.95], ['p99', 0.99], ['max', 1]] as const;

/** The digest must be of the samples the summary describes: the same count, extremes and quantiles. */
export function checkDigestMatchesSummary(digest: EntryDigest, summary: Summary, where: Where): void {
  const w = at(at(where, 'digest'), 'samplesMs');
  if (digest.samplesMs.n !== summary.n) failWith(at(w, 'n'), `${digest.samplesMs.n} samples, but the summary is of ${summary.n}: a digest of other samples than the summary's`);
  if (digest.samplesKcycles && digest.samplesKcycles.n !== summary.n) failWith(at(at(at(where, 'digest'), 'samplesKcycles'), 'n'), `${digest.samplesKcycles.n} samples, but the summary is of ${summary.n}`);
  const values = expandDigest(digest.samplesMs);
  for (const [field, p] of quantiles) {
    const read = quantile(values, p);
    // Written by Ratchet, equal to the last bit; a JSON round trip keeps every bit too. The slack is for other writers' float formatting.
    if (Math.abs(read - summary[field]) > 1e-9 * Math.abs(summary[field])) {
      failWith(w, `does not match the summary: its ${field} is ${read}, the summary's ${summary[field]} (a digest of other samples, or one edited by hand)`);
    }
  }
}
