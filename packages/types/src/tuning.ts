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
  /**
   * The code it ran (Measurement.kernelIdentity; null when unknown). Absent in entries written
   * before schema 3: such an entry cannot be checked against the code compiled now, and is not used.
   */
  kernelIdentity?: string | null;
}

/** What autotuning decided for one benchmark on one kind of device. */
export interface TuningEntry {
  /**
   * The variant bench/run will use, while the variants that run the benchmark (the candidates,
   * default first) and the code of this variant and of the default are still those it was chosen
   * among (core's tuning-check.ts); otherwise the entry is ignored, saying so.
   */
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

// 3: each candidate's kernel identity (TuningCandidate.kernelIdentity). 2: benchmarks of any
// problem (docs/problem-contract.md); 1 held attention shapes only. 1 and 2 are still read.
export const tuningSchemaVersion = 3;

/** `.ratchet/tuning.json`: per device key, per benchmark id, the chosen variant. */
export interface Tuning {
  schemaVersion: typeof tuningSchemaVersion;
  devices: Record<string, { deviceName: string; benchmarks: Record<string, TuningEntry> }>;
}
