// Ratchet's own samples format: what any script writes to have its timings judged
// (`ratchet compare --from ratchet-samples <file>`). One definition in three forms kept together:
// these types, the validator below, and the JSON Schema beside the package
// (schema/ratchet-samples.schema.json, which a test holds to the same documents).
import { array, at, failWith, integer, nonEmptyString, nonNegative, object, oneOf, positive, record, string, literal, type Check, type Where } from './_check.js';
import { backends, type Backend } from './device.js';

export const samplesFileVersion = 1;
export const samplesUnits = ['ns', 'us', 'ms', 's'] as const;
export type SamplesUnit = (typeof samplesUnits)[number];

/** One benchmark: its samples, or the statistics a harness kept, or one number (in the file's unit). */
export type SamplesFileBenchmark = {
  /** The benchmark's name: the first segment of its id (letters, digits, `_`, `.`, `-`). */
  name: string;
  /** Its parameters, in the order the id lists them: integers, flags, or names. */
  params?: Record<string, number | string | boolean>;
} & (
  | { samples: number[] }
  | { mean: number; std: number; n: number }
  | { median: number; p25: number; p75: number; n: number }
  | { value: number; statistic?: string }
);

export interface SamplesFile {
  $schema?: string;
  format: 'ratchet-samples';
  version: typeof samplesFileVersion;
  /** What took the times. */
  harness: { name: string; version?: string };
  /** What they were taken on: its name keys the baseline (`ratchet-samples/<name>`). */
  device: { name: string; backend?: Backend };
  /** The unit of every time in the file. */
  unit: SamplesUnit;
  /** When the times were taken (ISO 8601). */
  createdAt?: string;
  benchmarks: SamplesFileBenchmark[];
}

const paramValue: Check<number | string | boolean> = (v, w) => {
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v))) return v;
  if (typeof v === 'string' && /^[A-Za-z0-9_.-]+$/.test(v)) return v;
  return failWith(w, `expected an integer, a boolean, or a name of letters, digits, '_', '.' or '-' but received ${JSON.stringify(v)}`);
};

const name: Check<string> = (v, w) => (typeof v === 'string' && /^[A-Za-z0-9_.-]+$/.test(v) ? v : failWith(w, `expected a name of letters, digits, '_', '.' or '-' but received ${JSON.stringify(v)}`));

const params: Check<Record<string, number | string | boolean>> = (v, w) => {
  const checked = record(paramValue)(v, w);
  for (const key of Object.keys(checked)) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) failWith(at(w, key), 'a parameter name is letters and digits, starting with a letter');
  }
  return checked;
};

const figures = {
  samples: object({ name, samples: array(positive) }, { params }),
  'mean-std': object({ name, mean: positive, std: nonNegative, n: integer(1) }, { params }),
  'median-iqr': object({ name, median: positive, p25: positive, p75: positive, n: integer(1) }, { params }),
  value: object({ name, value: positive }, { params, statistic: nonEmptyString }),
};

const checkBenchmark: Check<SamplesFileBenchmark> = (v, w) => {
  const keys = typeof v === 'object' && v !== null ? Object.keys(v) : [];
  const kind = keys.includes('samples') ? 'samples' : keys.includes('mean') ? 'mean-std' : keys.includes('median') ? 'median-iqr' : keys.includes('value') ? 'value' : null;
  if (kind === null) return failWith(w, 'expected `samples`, `mean` with `std` and `n`, `median` with `p25`, `p75` and `n`, or one `value`');
  const benchmark = figures[kind](v, w) as SamplesFileBenchmark;
  if ('samples' in benchmark && benchmark.samples.length === 0) failWith(at(w, 'samples'), 'expected at least one sample');
  if ('p25' in benchmark && !(benchmark.p25 <= benchmark.median && benchmark.median <= benchmark.p75)) failWith(w, `expected p25 <= median <= p75 but received ${benchmark.p25}, ${benchmark.median}, ${benchmark.p75}`);
  return benchmark;
};

/** A samples file, every field checked; messages name the file and the field. */
export function validateSamplesFile(value: unknown, file: string): SamplesFile {
  const where: Where = { file, path: '', code: 'ERR_RATCHET_INVALID_RESULTS' };
  return object(
    {
      format: literal('ratchet-samples', '"ratchet-samples"'), version: literal(samplesFileVersion, String(samplesFileVersion)),
      harness: object({ name: nonEmptyString }, { version: string }),
      device: object({ name: nonEmptyString }, { backend: oneOf(backends) }),
      unit: oneOf(samplesUnits),
      benchmarks: array(checkBenchmark),
    },
    { $schema: string, createdAt: string },
  )(value, where) as SamplesFile;
}
