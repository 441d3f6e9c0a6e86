// A tiny path-tracking validator: each check names the file and the field it looked at, so an
// error reads `<file>: <field>: expected <what> but received <value> (<type>)`.
import { RatchetError, type RatchetErrorCode } from './errors.js';

export interface Where {
  file: string;
  /** Field path so far, e.g. `devices["cpu/x86_64"].benchmarks[3].S`. */
  path: string;
  code: RatchetErrorCode;
}

/**
 * A value as the message shows it: JSON, cut at 40 characters. A number JSON cannot hold (a
 * median of 1e400 parses as Infinity) shows as itself, not as JSON's `null`; a value too deep to
 * stringify (a config nested thousands of levels) is described, never a crash.
 */
export function shortValue(value: unknown): string {
  // JSON.stringify writes NaN and the infinities as `null` (a number such as 1e999 in a file parses to Infinity).
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[...] (nested too deep to show)' : typeof value === 'object' && value !== null ? '{...} (nested too deep to show)' : typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function fail(where: Where, expected: string, value: unknown): never {
  const field = where.path || '(top level)';
  throw new RatchetError(
    where.code,
    `${where.file}: ${field}: expected ${expected} but received ${shortValue(value)} (${typeName(value)})`,
    { file: where.file, field },
  );
}

/** A message of its own at a field (duplicates, cross-field rules). */
export function failWith(where: Where, message: string, code: RatchetErrorCode = where.code): never {
  const field = where.path || '(top level)';
  throw new RatchetError(code, `${where.file}: ${field}: ${message}`, { file: where.file, field });
}

export function at(where: Where, key: string | number): Where {
  const segment =
    typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (where.path ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
  return { ...where, path: `${where.path}${segment}` };
}

export type Check<T> = (value: unknown, where: Where) => T;

export const string: Check<string> = (v, w) => (typeof v === 'string' ? v : fail(w, 'a string', v));
export const nonEmptyString: Check<string> = (v, w) => (typeof v === 'string' && v.length > 0 ? v : fail(w, 'a non-empty string', v));
export const boolean: Check<boolean> = (v, w) => (typeof v === 'boolean' ? v : fail(w, 'a boolean', v));
export const finite: Check<number> = (v, w) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(w, 'a finite number', v));
export const nonNegative: Check<number> = (v, w) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(w, 'a non-negative number', v));
export const positive: Check<number> = (v, w) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail(w, 'a positive number', v));

/**
 * The longest delay Node's timers hold: past 2^31 - 1 ms (about 24.8 days) setTimeout fires after
 * 1 ms instead, so a time limit of 3e9 ms stopped a process after 0.3 s.
 */
export const maxTimerMs = 2 ** 31 - 1;

/** A time limit in milliseconds that a Node timer can hold: > 0 and at most maxTimerMs. */
export const timerMs: Check<number> = (v, w) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= maxTimerMs ? v : fail(w, `a time in milliseconds above 0 and at most ${maxTimerMs} (2^31 - 1, about 24.8 days: the longest a Node timer holds)`, v);

export function integer(min: number): Check<number> {
  return (v, w) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fail(w, `an integer >= ${min}`, v));
}

export function between(low: number, high: number): Check<number> {
  return (v, w) => (typeof v === 'number' && v > low && v < high ? v : fail(w, `a number between ${low} and ${high} (exclusive)`, v));
}

export function within(low: number, high: number): Check<number> {
  return (v, w) => (typeof v === 'number' && v >= low && v <= high ? v : fail(w, `a number from ${low} to ${high}`, v));
}

/** An array of at most `max` items, each checked. */
export function shortArray<T>(check: Check<T>, max: number): Check<T[]> {
  return (v, w) => (Array.isArray(v) && v.length <= max ? v.map((item, i) => check(item, at(w, i))) : fail(w, `an array of at most ${max} items`, v));
}

export function oneOf<T extends string | number>(options: readonly T[]): Check<T> {
  return (v, w) => ((options as readonly unknown[]).includes(v) ? (v as T) : fail(w, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`, v));
}

export function literal<T extends string | number>(expected: T, describe = JSON.stringify(expected)): Check<T> {
  return (v, w) => (v === expected ? expected : fail(w, describe, v));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, w) => (v === null ? null : check(v, w));
}

export function array<T>(check: Check<T>): Check<T[]> {
  return (v, w) => (Array.isArray(v) ? v.map((item, i) => check(item, at(w, i))) : fail(w, 'an array', v));
}

/**
 * array(positive) for the long arrays of samples: one loop with no call per element (a baseline of
 * 1,000,000 samples spent 200 ms in per-element checks); the first bad element gets positive's message.
 */
export const positiveArray: Check<number[]> = (v, w) => {
  if (!Array.isArray(v)) return fail(w, 'an array', v);
  for (let i = 0; i < v.length; i += 1) {
    const x = v[i];
    if (!(typeof x === 'number' && x > 0 && x !== Infinity)) positive(x, at(w, i));
  }
  return v as number[];
};

export function nonEmptyArray<T>(check: Check<T>): Check<T[]> {
  return (v, w) => (Array.isArray(v) && v.length > 0 ? v.map((item, i) => check(item, at(w, i))) : fail(w, 'a non-empty array', v));
}

export function tuple2<T>(check: Check<T>): Check<readonly [T, T]> {
  return (v, w) => (Array.isArray(v) && v.length === 2 ? [check(v[0], at(w, 0)), check(v[1], at(w, 1))] : fail(w, 'a pair [low, high]', v));
}

export function record<T>(check: Check<T>): Check<Record<string, T>> {
  return (v, w) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(w, 'an object', v);
    return Object.fromEntries(Object.entries(v).map(([key, item]) => [key, check(item, at(w, key))]));
  };
}

type Shape = Record<string, Check<unknown>>;
type FromShape<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/**
 * An object with exactly these keys. `optional` keys may be absent (or undefined); any key not
 * named is an error, so a typo in a config file is caught rather than silently ignored.
 */
export function object<S extends Shape, O extends Shape = Record<never, never>>(
  required: S,
  optional?: O,
): Check<FromShape<S> & Partial<FromShape<O>>> {
  const known = [...Object.keys(required), ...Object.keys(optional ?? {})];
  return (v, w) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(w, 'an object', v);
    const input = v as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!known.includes(key)) failWith(w, `unknown key '${key}' (expected one of ${known.join(', ')})`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(required)) out[key] = check(input[key], at(w, key));
    for (const [key, check] of Object.entries(optional ?? {})) {
      if (input[key] !== undefined) out[key] = check(input[key], at(w, key));
    }
    return out as FromShape<S> & Partial<FromShape<O>>;
  };
}
