import type { Device } from './device.js';
import type { Summary } from './measurement.js';

/** The accepted level of one benchmark on one kind of device. */
export interface BaselineEntry {
  summary: Summary;
  /** The raw samples the summary came from, ascending, so later comparisons can test against them. */
  samplesMs: number[];
  /** The same samples in SM kilocycles (ms x MHz), ascending; absent where the clock was unknown. */
  samplesKcycles?: number[];
  /** Which machine code produced them (Measurement.kernelIdentity), when known. */
  kernelIdentity?: string;
  /** The kernel variant that produced these numbers. */
  variant: string;
  /** Commit the figure was accepted at (null outside git). */
  sha: string | null;
  /** ISO 8601 time it was accepted. */
  acceptedAt: string;
  /** `new`, `improvement`, or `accept` (an explicit, possibly slower, figure). */
  acceptedAs: 'new' | 'improvement' | 'accept';
  /** Why a slower figure was accepted; required when acceptedAs is `accept`. */
  reason?: string;
}

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

/** One line of `.ratchet/history.jsonl`: what a ratchet step changed, appended, never rewritten. */
export interface HistoryEvent {
  time: string;
  deviceKey: string;
  benchmarkId: string;
  event: 'new' | 'improvement' | 'accept';
  /** Baseline median before, ms (null for new). */
  fromMedianMs: number | null;
  toMedianMs: number;
  sha: string | null;
  reason?: string;
}
