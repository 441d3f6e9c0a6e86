// The pieces every format's schema is built of. Each one says in JSON Schema keywords what the
// hand-written checks of _check.ts said in code, so the messages read as before ("a positive
// number" is `exclusiveMinimum: 0`).
import { Type, type SchemaOptions, type TLiteral, type TSchema, type TUnion, type TNull, type TUnsafe } from '@sinclair/typebox';
import { failWith, maxTimerMs, type Where } from './_check.js';
import type { Benchmark } from './benchmark.js';
import { withMessage } from './schema-check.js';

/** Where the schemas are published: a config's `$schema` may name this URL, or the file in node_modules. */
export const schemaBaseUrl = 'https://github.com/ratchet-gpu/ratchet/raw/main/packages/types/schema/';

/** A shipped schema file's `$id`: its name under schema/, at the published URL. */
export const schemaId = (file: string) => `${schemaBaseUrl}${file}`;

export const Str = (options: SchemaOptions = {}) => Type.String(options);
export const NonEmptyString = (options: SchemaOptions = {}) => Type.String({ minLength: 1, ...options });
export const Bool = (options: SchemaOptions = {}) => Type.Boolean(options);
/** Any finite number (JSON holds no other; a JS caller's NaN is refused). */
export const Finite = (options: SchemaOptions = {}) => Type.Number(options);
export const Positive = (options: SchemaOptions = {}) => Type.Number({ exclusiveMinimum: 0, ...options });
export const NonNegative = (options: SchemaOptions = {}) => Type.Number({ minimum: 0, ...options });
export const Int = (minimum: number, options: SchemaOptions = {}) => Type.Integer({ minimum, ...options });
/** low < x < high. */
export const Between = (low: number, high: number, options: SchemaOptions = {}) => Type.Number({ exclusiveMinimum: low, exclusiveMaximum: high, ...options });
/** low <= x <= high. */
export const Within = (low: number, high: number, options: SchemaOptions = {}) => Type.Number({ minimum: low, maximum: high, ...options });
/** Samples: positive times (the interpreter tests them in one loop, no path built per element). */
export const PositiveArray = (options: SchemaOptions = {}) => Type.Array(Positive(), options);
/** An ISO 8601 time (anything Date.parse reads). */
export const IsoTime = (options: SchemaOptions = {}) => Type.String({ format: 'date-time', ...options });

export const Nullable = <T extends TSchema>(schema: T, options: SchemaOptions = {}): TUnion<[T, TNull]> => Type.Union([schema, Type.Null()], options);

/** One of a list of strings: `one of "ok", "invalid"`. */
export function OneOf<const V extends readonly string[]>(values: V, options: SchemaOptions = {}): TUnion<TLiteral<V[number]>[]> {
  return Type.Union(values.map((value) => Type.Literal(value)), options) as TUnion<TLiteral<V[number]>[]>;
}

/** A [low, high] pair: a confidence interval (readonly, as the statistics hand it on). */
export const Pair = (options: SchemaOptions = {}): TUnsafe<readonly [low: number, high: number]> =>
  Type.Unsafe<readonly [low: number, high: number]>(Type.Tuple([Type.Number(), Type.Number()], options));

/** A time limit in milliseconds that a Node timer can hold: > 0 and at most maxTimerMs. */
export const TimerMs = (options: SchemaOptions = {}) =>
  Type.Number({
    exclusiveMinimum: 0, maximum: maxTimerMs,
    errorMessage: `a time in milliseconds above 0 and at most ${maxTimerMs} (2^31 - 1, about 24.8 days: the longest a Node timer holds)`, ...options,
  });

/** An object with exactly these keys, `Type.Optional` ones may be absent: a typo in a file is caught, not ignored. */
export const Obj = <P extends Parameters<typeof Type.Object>[0]>(properties: P, options: SchemaOptions = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

/**
 * An Obj with its description first, where a reader of the source meets it, as a docstring: the
 * same schema as `Obj(properties, { description })`, whose description would stand after the last field.
 */
export const Described = <P extends Parameters<typeof Type.Object>[0]>(description: string, properties: P) => Obj(properties, { description });

/** An object keyed by any string (device keys). */
export const Dict = <T extends TSchema>(schema: T, options: SchemaOptions = {}) => Type.Record(Type.String(), schema, options);

const idSegment = '[A-Za-z0-9_.-]+';
/** An object keyed by benchmark id (`flash_fwd/fp16/B32_H8_S512_D64`). */
export const ByBenchmarkId = <T extends TSchema>(schema: T, options: SchemaOptions = {}) =>
  Type.Record(Type.String(), schema, {
    propertyNames: { type: 'string', pattern: `^${idSegment}(/${idSegment})*$`, errorMessage: 'a benchmark id such as "flash_fwd/fp16/B32_H8_S512_D64"' },
    ...options,
  });

/**
 * The schema version of a file: the current one, or an older one this Ratchet still reads (read
 * as the current one: every change since was a widening). A newer one is refused by name.
 */
export function SchemaVersion<const T extends number>(current: T, readable: readonly number[] = []): TUnsafe<T> {
  const versions = [...readable, current];
  const schema = Type.Unsafe<T>(readable.length ? { type: 'integer', enum: versions, errorMessage: String(current) } : { type: 'integer', const: current, errorMessage: String(current) });
  return withMessage(schema, (v: unknown, w: Where) => {
    if (typeof v === 'number' && !versions.includes(v)) {
      failWith(w, `schemaVersion ${v} is not supported by this Ratchet (it reads ${versions.join(' and ')}; a newer Ratchet wrote this file?)`);
    }
  });
}

const nameText = "a name of letters, digits, '_', '.' or '-'";
/** A problem's name, and any enum value: what may stand between the slashes of an id. */
export const KernelName = (options: SchemaOptions = {}) =>
  Type.String({ pattern: `^${idSegment}$`, errorMessage: "a kernel name of letters, digits, '_', '.' or '-'", ...options });

/** The value of one problem parameter: an integer, a flag, or a name. */
export const ParamValue = () =>
  Type.Union(
    [Type.Boolean(), Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ pattern: `^${idSegment}$` })],
    { errorMessage: `an integer, a boolean, or ${nameText}` },
  );

/**
 * One benchmark written flat: `kernel` (a problem's name) and a value for each of its parameters,
 * `{ "kernel": "flash_fwd", "dtype": "fp16", "B": 32, "H": 8, "S": 512, "D": 64, "causal": false }`.
 * Its problem checks the names and values of the parameters (validate-benchmark.ts).
 */
export const BenchmarkForm = (options: SchemaOptions = {}) =>
  Type.Unsafe<Benchmark>({
    type: 'object',
    description: 'One benchmark: `kernel` (the name of a problem) and a value for each parameter that problem declares, written flat.',
    required: ['kernel'],
    properties: { kernel: KernelName({ description: 'The problem that runs it, e.g. `flash_fwd`.' }) },
    propertyNames: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$', errorMessage: 'a parameter name of letters and digits, starting with a letter' },
    additionalProperties: ParamValue(),
    errorMessage: 'an object with a "kernel" and its parameters',
    ...options,
  });
