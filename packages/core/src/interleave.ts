import { comparePairedTurns, normalQuantile } from '@ratchet/stats';
import { RatchetError, type ClockReading, type MeasureBudget, type Measurement, type SampleBatch } from '@ratchet/types';
import type { BenchmarkSession } from './backend.js';
import type { SampleSet } from './sample-set.js';
import { pairedMeetsAim, type SensitivityAim } from './sensitivity-aim.js';
import { capReason, nextBatchSize, stopReason } from './stopping-rule.js';

const z975 = normalQuantile(0.975);

/** One side of an interleaved measurement: a checked session, where its samples go, and any injected wait. */
export interface InterleavedSide {
  session: BenchmarkSession;
  samples: SampleSet;
  /** A busy-wait of this many microseconds inside every sample (calibration only). */
  extraUs?: number;
}

/**
 * Samples per batch and side at most: short turns, so a state that lasts a batch (on the H100, a
 * 1-2% slower spell on fp16 B8 H16 S2048 D128) falls on both sides instead of deciding a verdict.
 */
export const interleavedBatchCap = 8;

/**
 * The CI of the stopping rule is looked at once the sides have grown by this share since the last
 * look: a look costs O(n), and one per turn of 8 samples made a 4,000-sample comparison O(n^2).
 * Stopping overshoots by at most this share.
 */
const lookGrowth = 1 / 16;

/** How many time budgets a side may stay without a usable sample before the device counts as throttled. */
const emptySideGrace = 4;

/**
 * Samples every side in short batches of the same size, taking turns (A B, then B A, ...), so
 * drift in clock, temperature or GPU state hits all sides alike and no side is always first after
 * a pause. Stops when every side meets the stopping rule on the time spent so far (and, given an
 * `aim`, each side's comparison with the first could catch twice its threshold: sensitivity-aim.ts);
 * a cap on any side ends all of them.
 */
export async function sampleInterleaved(
  sides: readonly InterleavedSide[],
  budget: MeasureBudget,
  now: () => number = () => performance.now(),
  aim?: SensitivityAim,
): Promise<NonNullable<Measurement['stopReason']>> {
  const started = now();
  let lookedAt = 0;
  for (let round = 0; ; round += 1) {
    const lead = sides[0]!.samples;
    const count = Math.min(nextBatchSize(lead.size, lead.typicalMs(), now() - started, budget), interleavedBatchCap);
    const warmup = lead.size === 0 ? budget.warmup : Math.min(budget.warmup, 2);
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    // A round lands whole or not at all: a side that fails mid-round (a peer that dies) must not
    // leave the sides before it one turn ahead of those after it, or their turns no longer pair.
    const taken: { side: InterleavedSide; batch: SampleBatch; clock: ClockReading }[] = [];
    for (const side of order) {
      const batch = await side.session.sample({
        warmup, samples: count, l2Flush: budget.l2Flush, launchesPerSample: budget.launchesPerSample,
        ...(side.extraUs ? { extraUs: side.extraUs } : {}),
      });
      taken.push({ side, batch, clock: await side.session.clock() });
    }
    for (const { side, batch, clock } of taken) side.samples.add(batch, clock);
    const elapsed = now() - started;
    if (sides.some((side) => side.samples.size === 0)) {
      // Short turns can all fall in a throttled spell on one side: allow a few budgets before giving up.
      if (elapsed >= emptySideGrace * budget.maxTimeMs) {
        const discarded = sides.reduce((total, side) => total + side.samples.discarded, 0);
        throw new RatchetError('ERR_RATCHET_THROTTLED', `every sample of one side (${discarded} in all) was taken while the device throttled (power or thermal); let it cool and re-run`);
      }
      continue;
    }
    const capped = sides.map((side) => capReason(side.samples.size, elapsed, budget)).find((r) => r !== null);
    if (capped) return capped;
    if (lead.size < lookedAt * (1 + lookGrowth)) continue;
    lookedAt = lead.size;
    if (converged(sides, elapsed, budget, aim)) return 'converged';
  }
}

/**
 * Paired turns a comparison needs before it may stop: twice what a verdict needs at all (6), since
 * the autocorrelation of a dozen turns is itself uncertain and a stop at the edge left half of
 * the comparisons too few to judge, each then measured again.
 */
const minStopTurns = 12;

/**
 * Whether `side`'s ratio to `lead`, turn by turn, is known to `halfWidth` (95% CI, with the
 * timer's tick bound, as the verdict will see it) on at least minStopTurns independent turns.
 */
function pairedKnown(lead: SampleSet, side: SampleSet, halfWidth: number, aim: SensitivityAim | undefined): boolean {
  // No turn pairs while every batch of one side so far was dropped for throttling.
  if (!lead.turns.some((kept, turn) => kept > 0 && side.turns[turn]! > 0)) return false;
  const c = comparePairedTurns({ samplesMs: lead.samplesMs, turns: lead.turns }, { samplesMs: side.samplesMs, turns: side.turns });
  if (c.paired!.effectiveTurns < minStopTurns || Math.expm1(z975 * c.seLog + c.tickBoundLog) > halfWidth) return false;
  return !aim || pairedMeetsAim(c, aim);
}

/**
 * The stopping rule on the time spent so far, for sides that will be compared: once every side has
 * its minimum samples and time, stop when each side's ratio to the first is known, turn by turn,
 * as well as two medians each known to the target would know it (sqrt(2) x the target: the same
 * cost as bench's rule on clean noise). What is compared is the ratio, not each side's median: on
 * a wandering clock (the H200 at its power cap) the medians alone stayed uncertain for seconds
 * while their ratio was known to 0.2% in a fraction of that. A lone side keeps bench's rule.
 */
function converged(sides: readonly InterleavedSide[], elapsed: number, budget: MeasureBudget, aim: SensitivityAim | undefined): boolean {
  if (sides.length === 1) return stopReason(sides[0]!.samples.sorted, elapsed, budget, sides[0]!.samples.autocorrelation()) === 'converged';
  if (elapsed < budget.minTimeMs || sides.some((side) => side.samples.size < budget.minSamples)) return false;
  const lead = sides[0]!.samples;
  return sides.slice(1).every((side) => pairedKnown(lead, side.samples, Math.SQRT2 * budget.targetRelCiHalfWidth, aim));
}
