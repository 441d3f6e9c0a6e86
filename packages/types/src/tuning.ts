import type { Interval } from './measurement.js';

/** One variant as autotuning saw it on one benchmark. */
export interface TuningCandidate {
  variant: string;
  /** `ok`: checked and timed; `invalid`: failed its correctness check, never chosen. */
  status: 'ok' | 'invalid';
  medianMs: number | null;
  samples: number;
  /** Its median over the default's (below 1 is faster), with the corrected CI. Null for the default itself. */
  ratio: number | null;
  ratioCi: Interval | null;
  detail?: string;
}

/** What autotuning decided for one benchmark on one kind of device. */
export interface TuningEntry {
  /** The variant bench/run will use. */
  variant: string;
  defaultVariant: string;
  /** Default median / chosen median: 1 when the default was kept. */
  speedup: number;
  /** Confidence level of every candidate's ratio CI: 1 - 0.05 / (candidates compared). */
  confidence: number;
  candidates: TuningCandidate[];
  tunedAt: string;
  sha: string | null;
}

// 2: benchmarks of any problem (docs/problem-contract.md); 1 held attention shapes only and is still read.
export const tuningSchemaVersion = 2;

/** `.ratchet/tuning.json`: per device key, per benchmark id, the chosen variant. */
export interface Tuning {
  schemaVersion: typeof tuningSchemaVersion;
  devices: Record<string, { deviceName: string; benchmarks: Record<string, TuningEntry> }>;
}
