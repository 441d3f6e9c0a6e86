import type { Device } from './device.js';
import type { ReportedStatistics } from './imported.js';
import type { Summary } from './measurement.js';

/** The accepted level of one benchmark on one kind of device. */
export interface BaselineEntry {
  /** Null when the figure was imported from a harness that reported statistics only (`reported`). */
  summary: Summary | null;
  /** The raw samples the summary came from, ascending, so later comparisons can test against them; empty when `reported`. */
  samplesMs: number[];
  /** An imported figure with no samples: the statistics its harness reported (Measurement.reported). */
  reported?: ReportedStatistics;
  /** The same samples in SM kilocycles (ms x MHz), ascending; absent where the clock was unknown. */
  samplesKcycles?: number[];
  /** Which machine code produced them (Measurement.kernelIdentity), when known. */
  kernelIdentity?: string;
  /** The kernel variant that produced these numbers. */
  variant: string;
  /**
   * Commit the figure was accepted at (null outside git, or in a repository with no commit yet). A
   * cross-run regression is confirmed by building it; an entry without one cannot be confirmed.
   */
  sha: string | null;
  /**
   * The tree had uncommitted changes when the figure was stored, so `sha` is not quite the code
   * measured. Absent where no commit is recorded, and in entries written before it was kept. A
   * later clean run at a commit that measures the same machine code (A/A) records that commit.
   */
  dirty?: boolean;
  /** ISO 8601 time it was accepted. */
  acceptedAt: string;
  /**
   * `new`, `improvement`, `accept` (an explicit, possibly slower, figure), or `correction` (the
   * same machine code measured significantly faster: the figure before was measured slow).
   */
  acceptedAs: 'new' | 'improvement' | 'accept' | 'correction';
  /** Why a slower figure was accepted; required when acceptedAs is `accept`. */
  reason?: string;
  /**
   * Lag-1 rank autocorrelation of the samples in the order they were taken (they are stored
   * sorted, so it cannot be recomputed from them). Absent: the current run's figure is used.
   */
  autocorrelation?: number;
  /**
   * The latest runs at this level, oldest first, at most 10: the run that set it, then each later
   * commit's run judged unchanged against it (one per commit: a second run of the same commit says
   * little about the spread between runs, and would rewrite the baseline on every local run).
   * Their spread is the run-to-run component of cross-run comparisons. Absent in entries written
   * before it was kept.
   */
  runMedians?: RunMedian[];
}

/** One run's median of a benchmark, and the commit it measured (null outside git). */
export interface RunMedian {
  sha: string | null;
  medianMs: number;
}

/** Run medians a baseline entry keeps (BaselineEntry.runMedians): enough to estimate a spread, few enough to follow a machine that changes. */
export const runMediansKept = 10;

export interface DeviceBaseline {
  device: Device;
  /** Keyed by benchmark id. */
  benchmarks: Record<string, BaselineEntry>;
}

// 2: benchmarks of any problem (docs/problem-contract.md); 1 held attention shapes only and is still read.
export const baselineSchemaVersion = 2;

/** `.ratchet/baseline.json`: per device key, per benchmark id, the level reached. */
export interface Baseline {
  schemaVersion: typeof baselineSchemaVersion;
  devices: Record<string, DeviceBaseline>;
}

/**
 * One line of the baseline's moves log (`paths.moves`, `.ratchet/history.jsonl` by default): what a
 * ratchet step changed, appended, never rewritten. Not the run history (`.ratchet/runs/`).
 */
export interface MoveEvent {
  time: string;
  deviceKey: string;
  benchmarkId: string;
  event: 'new' | 'improvement' | 'accept' | 'correction';
  /**
   * Baseline median before, ms (null for new). For an imported figure with no samples, the figure
   * that stands for it (reportedCentralMs: the median where reported, else the mean, else the number).
   */
  fromMedianMs: number | null;
  toMedianMs: number;
  sha: string | null;
  reason?: string;
}

/** @deprecated The moves log's line was called a history event: use MoveEvent. */
export type HistoryEvent = MoveEvent;
