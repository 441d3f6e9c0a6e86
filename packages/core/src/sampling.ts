// The one sampling loop: every measurement Ratchet takes (bench's one side; run --base's head and
// base; autotune's variants; sota's ours and peers; calibrate's two sample sets) is sides sampled
// in turns until the stopping rule says stop. A lone side is the one-side case: nothing to
// interleave, so its batches grow as the stopping rule sizes them and it is looked at after each.
import { comparePairedTurns, normalQuantile, type TurnSamples } from '@ratchet/stats';
import { RatchetError, type ClockReading, type MeasureBudget, type SampleBatch } from '@ratchet/types';
import { assertCallWithinLimit } from './cost.js';
import { pairedMeetsAim, type SensitivityAim } from './sensitivity-aim.js';
import type { Side } from './side.js';
import { capReason, nextBatchSize, stopReason, type StopReason } from './stopping-rule.js';

const z975 = normalQuantile(0.975);

/**
 * Samples per batch and side at most when sides are compared: short turns, so a state that lasts
 * a batch (on the H100, a 1-2% slower spell on fp16 B8 H16 S2048 D128) falls on both sides instead
 * of deciding a verdict.
 */
export const interleavedBatchCap = 8;

/** How the loop paces one side alone, and sides that take turns. */
interface Pace {
  /** Samples per batch and side at most. */
  batchCap: number;
  /**
   * The CI is looked at once the lead side has grown by this share since the last look: a look
   * costs O(n), and one per turn of 8 samples made a 4,000-sample comparison O(n^2). Stopping
   * overshoots by at most this share. A lone side's batches grow by half each time: it looks after every one.
   */
  lookGrowth: number;
  /**
   * Time budgets a side may stay without a usable sample before the device counts as throttled:
   * short turns can all fall in a throttled spell on one side, so sides in turns get a few.
   */
  emptyGrace: number;
}

const alone: Pace = { batchCap: Infinity, lookGrowth: 0, emptyGrace: 1 };
const inTurns: Pace = { batchCap: interleavedBatchCap, lookGrowth: 1 / 16, emptyGrace: 4 };

export interface SamplingOptions {
  /** Milliseconds from an arbitrary origin; injectable so tests control time. */
  now?: () => number;
  /** What each comparison will be asked to catch (sensitivity-aim.ts): sampling goes on until it could, within the caps. */
  aim?: SensitivityAim;
  /** After each round, with the lead side's samples kept so far and the time spent. */
  onBatch?: (samples: number, elapsedMs: number) => void;
}

/**
 * Samples every side in batches of the same size, taking turns (A B, then B A, ...), so drift in
 * clock, temperature or GPU state hits all sides alike and no side is always first after a
 * pause. Stops when every side meets the stopping rule on the time spent so far (and, given an
 * `aim`, each side's comparison with the first could catch twice its threshold:
 * sensitivity-aim.ts); a cap on any side ends all of them. Full warm-up before the first batch, a
 * short one after each pause to look at the numbers.
 */
export async function sampleSides(sides: readonly Side[], budget: MeasureBudget, options: SamplingOptions = {}): Promise<StopReason> {
  const { now = () => performance.now(), aim } = options;
  const pace = sides.length === 1 ? alone : inTurns;
  const started = now();
  let lookedAt = 0;
  for (let round = 0; ; round += 1) {
    const lead = sides[0]!.samples;
    const count = Math.min(nextBatchSize(lead.size, lead.typicalMs(), now() - started, budget), pace.batchCap);
    const warmup = lead.size === 0 ? budget.warmup : Math.min(budget.warmup, 2);
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    // A round lands whole or not at all: a side that fails mid-round (a peer that dies) must not
    // leave the sides before it one turn ahead of those after it, or their turns no longer pair.
    const taken: { side: Side; batch: SampleBatch; clock: ClockReading }[] = [];
    for (const side of order) {
      const batch = await side.session.sample({
        warmup, samples: count, l2Flush: budget.l2Flush, launchesPerSample: budget.launchesPerSample,
        ...(side.extraUs ? { extraUs: side.extraUs } : {}),
      });
      // Per-launch times: one sample is launchesPerSample of them.
      if (side.limited) assertCallWithinLimit(side.id, 'one sample', batch.samplesMs.reduce((longest, ms) => Math.max(longest, ms), 0) * budget.launchesPerSample);
      taken.push({ side, batch, clock: await side.session.clock() });
    }
    for (const { side, batch, clock } of taken) side.samples.add(batch, clock);
    const elapsed = now() - started;
    if (sides.some((side) => side.samples.size === 0)) {
      // Everything of a side so far was discarded: keep sampling while the grace lasts.
      if (elapsed >= pace.emptyGrace * budget.maxTimeMs) throw throttledError(sides);
      continue;
    }
    options.onBatch?.(lead.size, elapsed);
    const capped = sides.map((side) => capReason(side.samples.size, elapsed, budget)).find((r) => r !== null);
    if (capped) return capped;
    if (lead.size < lookedAt * (1 + pace.lookGrowth)) continue;
    lookedAt = lead.size;
    if (converged(sides, elapsed, budget, aim)) return 'converged';
  }
}

function throttledError(sides: readonly Side[]): RatchetError {
  const discarded = sides.reduce((total, side) => total + side.samples.discarded, 0);
  const which = sides.length === 1 ? `every sample (${discarded})` : `every sample of one side (${discarded} in all)`;
  return new RatchetError('ERR_RATCHET_THROTTLED', `${which} was taken while the device throttled (power or thermal); let it cool and re-run`);
}

/**
 * Paired turns a comparison needs before it may stop: twice what a verdict needs at all (6), since
 * the autocorrelation of a dozen turns is itself uncertain and a stop at the edge left half of
 * the comparisons too few to judge, each then measured again.
 */
const minStopTurns = 12;

/**
 * Whether `side`'s ratio to `lead`, turn by turn, is known to `halfWidth` (95% CI, with the
 * timer's tick bound, as the verdict will see it) on at least `minTurns` independent turns (and,
 * given an `aim`, could catch it: sensitivity-aim.ts). The stop of the sampling loop, and of a
 * harness run again and again (harness-runs.ts), whose runs are its turns.
 */
export function pairedRatioKnown(lead: TurnSamples, side: TurnSamples, halfWidth: number, minTurns: number, aim?: SensitivityAim): boolean {
  // No turn pairs while every batch of one side so far was dropped for throttling.
  if (!lead.turns.some((kept, turn) => kept > 0 && side.turns[turn]! > 0)) return false;
  const c = comparePairedTurns(lead, side);
  if (c.paired!.effectiveTurns < minTurns || Math.expm1(z975 * c.seLog + c.tickBoundLog) > halfWidth) return false;
  return !aim || pairedMeetsAim(c, aim);
}

/**
 * The stopping rule on the time spent so far. A lone side: nvbench's rule on its median
 * (stopping-rule.ts), with its aim. Sides that will be compared: once every side has its minimum
 * samples and time, stop when each side's ratio to the first is known, turn by turn, as well as
 * two medians each known to the target would know it (sqrt(2) x the target: the same cost as
 * bench's rule on clean noise). What is compared is the ratio, not each side's median: on a
 * wandering clock (the H200 at its power cap) the medians alone stayed uncertain for seconds
 * while their ratio was known to 0.2% in a fraction of that.
 */
function converged(sides: readonly Side[], elapsed: number, budget: MeasureBudget, aim: SensitivityAim | undefined): boolean {
  if (sides.length === 1) return stopReason(sides[0]!.samples.sorted, elapsed, budget, sides[0]!.samples.autocorrelation(), aim) === 'converged';
  if (elapsed < budget.minTimeMs || sides.some((side) => side.samples.size < budget.minSamples)) return false;
  const lead = sides[0]!.samples;
  return sides.slice(1).every((side) => pairedRatioKnown(lead, side.samples, Math.SQRT2 * budget.targetRelCiHalfWidth, minStopTurns, aim));
}
