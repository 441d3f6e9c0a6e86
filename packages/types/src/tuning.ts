import { Type, type Static } from '@sinclair/typebox';
import { Between, ByBenchmarkId, Described, Dict, Int, NonEmptyString, Nullable, Obj, OneOf, Pair, Positive, schemaId, SchemaVersion, Str } from './schema-parts.js';

// .ratchet/tuning.json defined once: the types below, validateTuning and schema/ratchet-tuning.schema.json come from these schemas.

export const TuningCandidateSchema = Described('One variant as autotuning saw it on one benchmark.', {
  variant: NonEmptyString(),
  status: OneOf(['ok', 'invalid'] as const, { description: '`ok`: checked and timed; `invalid`: failed its correctness check, never chosen.' }),
  medianMs: Nullable(Positive()),
  samples: Int(0),
  ratio: Nullable(Positive(), { description: "Its median over the default's (below 1 is faster). Null for the default itself." }),
  ratioCi: Nullable(Pair(), { description: 'The corrected confidence interval of `ratio`.' }),
  detail: Type.Optional(Str()),
  kernelIdentity: Type.Optional(Nullable(NonEmptyString(), {
    description:
      'The code it ran (Measurement.kernelIdentity; null when unknown). Absent in entries written before schema 3: such an entry cannot ' +
      'be checked against the code compiled now, and is not used.',
  })),
});
export type TuningCandidate = Static<typeof TuningCandidateSchema>;

export const TuningEntrySchema = Described('What autotuning decided for one benchmark on one kind of device.', {
  variant: NonEmptyString({
    description:
      'The variant bench/run will use, while the variants that run the benchmark (the candidates, default first) and the code of this ' +
      "variant and of the default are still those it was chosen among (core's tuning-check.ts); otherwise the entry is ignored, saying so.",
  }),
  defaultVariant: NonEmptyString(),
  speedup: Positive({ description: 'Default median / chosen median: 1 when the default was kept.' }),
  confidence: Between(0, 1, { description: "Confidence level of every candidate's ratio CI: 1 - 0.05 / (candidates compared)." }),
  candidates: Type.Array(TuningCandidateSchema),
  tunedAt: Str(),
  sha: Nullable(Str()),
});
export type TuningEntry = Static<typeof TuningEntrySchema>;

// 3: each candidate's kernel identity (TuningCandidate.kernelIdentity). 2: benchmarks of any
// problem (docs/problem-contract.md); 1 held attention shapes only. 1 and 2 are still read.
export const tuningSchemaVersion = 3;

/** `.ratchet/tuning.json`: per device key, per benchmark id, the chosen variant. */
export const TuningSchema = Obj({
  schemaVersion: SchemaVersion(tuningSchemaVersion, [1, 2]),
  devices: Dict(Obj({ deviceName: Str(), benchmarks: ByBenchmarkId(TuningEntrySchema) }), { description: 'Keyed by device key (Device.deviceKey).' }),
}, {
  $id: schemaId('ratchet-tuning.schema.json'),
  title: '.ratchet/tuning.json',
  description: 'What `ratchet tune` chose: per device key, per benchmark id, the variant to run and the candidates it was chosen among.',
});
export type Tuning = Static<typeof TuningSchema>;
