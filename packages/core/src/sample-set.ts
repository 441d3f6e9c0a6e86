import { lag1RankAutocorrelation, sortWithOrder, type SortedWithOrder } from '@ratchet/stats';
import type { ClockReading, Measurement, SampleBatch } from '@ratchet/types';

/**
 * NVML reasons that mean the clock was pulled down by heat or a hardware event (an idle GPU or app
 * clocks are not throttling). The software power cap is not among them: a kernel that keeps the
 * tensor cores busy runs at the board's power limit, which is its operating point rather than a
 * disturbance (the Hopper kernels hold about 1.75 of 1.98 GHz under it on the H200, where every
 * batch then reported `sw_power_cap`, 2026-12-01); the 75% clock floor still drops a capped sample
 * whose clock fell far.
 */
const throttleReasons = new Set(['hw_slowdown', 'sw_thermal_slowdown', 'hw_thermal_slowdown', 'hw_power_brake_slowdown']);

/** A sample taken under this share of the device's maximum SM clock measures the cooling, not the kernel. */
export const throttledClockShare = 0.75;

/** Throttled: a slowdown reason reported, or the SM clock under 75% of the device's maximum. */
export function throttled(clock: ClockReading, maxClockMHz: number | null): boolean {
  if (clock.throttleReasons.some((reason) => throttleReasons.has(reason))) return true;
  return clock.smClockMHz !== null && maxClockMHz !== null && clock.smClockMHz < throttledClockShare * maxClockMHz;
}

/**
 * The samples of one benchmark as they accumulate, batch by batch: times and the SM clock of each
 * (kept only while every batch had clocks), how many were thrown away for throttling, and a
 * sorted copy for the stopping rule.
 */
export class SampleSet {
  readonly samplesMs: number[] = [];
  /** Samples kept from each batch added, in order: an interleaved side's turns. */
  private readonly kept: number[] = [];
  private clocks: number[] | null = [];
  discarded = 0;
  // Sorted on demand and kept until the next batch: the loops look at the CI only now and then
  // (sampling.ts), and sorting 4,000 samples after every batch of 8 cost more CPU than a 20 us
  // kernel's samples took on the device.
  private sortedCache: SortedWithOrder | null = null;
  private typical = 0;

  constructor(private readonly maxClockMHz: number | null) {}

  /**
   * Adds a batch. A batch ending with NVML throttle reasons is dropped whole; otherwise each sample
   * whose own clock reading is under 75% of the maximum is dropped alone.
   */
  add(batch: SampleBatch, after: ClockReading): void {
    const before = this.samplesMs.length;
    this.keep(batch, after);
    this.kept.push(this.samplesMs.length - before);
    if (this.samplesMs.length !== before) this.sortedCache = null;
  }

  /** The samples kept, ascending (for the stopping rule). */
  get sorted(): Float64Array {
    return this.sortedWithOrder().sorted;
  }

  private sortedWithOrder(): SortedWithOrder {
    if (!this.sortedCache) {
      this.sortedCache = sortWithOrder(Float64Array.from(this.samplesMs));
      this.typical = this.median();
    }
    return this.sortedCache;
  }

  private keep(batch: SampleBatch, after: ClockReading): void {
    if (after.throttleReasons.some((reason) => throttleReasons.has(reason))) {
      this.discarded += batch.samplesMs.length;
      return;
    }
    const floor = this.maxClockMHz === null ? 0 : throttledClockShare * this.maxClockMHz;
    const clocks = batch.clockMHz;
    if (!clocks || clocks.length !== batch.samplesMs.length) {
      // No per-sample clocks: the reading after the batch speaks for all of it.
      if (throttled(after, this.maxClockMHz)) this.discarded += batch.samplesMs.length;
      else this.samplesMs.push(...batch.samplesMs);
      this.clocks = null;
    } else {
      batch.samplesMs.forEach((ms, i) => {
        if (clocks[i]! < floor) {
          this.discarded += 1;
          return;
        }
        this.samplesMs.push(ms);
        this.clocks?.push(clocks[i]!);
      });
    }
  }

  /** Lag-1 rank autocorrelation of the samples kept, in the order taken (0 for fewer than 3). */
  autocorrelation(): number {
    return lag1RankAutocorrelation(this.sortedWithOrder());
  }

  /** Samples kept from each batch added, in order. */
  get turns(): readonly number[] {
    return this.kept;
  }

  get size(): number {
    return this.samplesMs.length;
  }

  median(): number {
    const sorted = this.sortedWithOrder().sorted;
    const n = sorted.length;
    if (n === 0) return 0;
    return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  }

  /** The median as of the last sort (0 before any): enough to size the next batch without sorting again. */
  typicalMs(): number {
    return this.typical;
  }

  /**
   * The fields a Measurement takes from its samples; `turns` for a side of an interleaved
   * measurement, whose batches were its turns (and pair with the other sides').
   */
  fields(options: { turns?: boolean } = {}): Pick<Measurement, 'samplesMs' | 'samplesClockMHz' | 'discardedSamples' | 'sampleTurns'> {
    return {
      samplesMs: this.samplesMs,
      ...(options.turns ? { sampleTurns: [...this.kept] } : {}),
      ...(this.clocks && this.clocks.length === this.samplesMs.length && this.clocks.length > 0 ? { samplesClockMHz: this.clocks } : {}),
      ...(this.discarded > 0 ? { discardedSamples: this.discarded } : {}),
    };
  }
}
