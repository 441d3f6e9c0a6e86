// Benchmarks checked in two steps: their form alone (any file that stores one: results,
// config), then against the problem that runs them (names, types and allowed values of its
// parameters), which also puts the parameters in the problem's order, the order of the id.
import { at, fail, failWith, type Check, type Where } from './_check.js';
import { idSegmentPattern, paramNamePattern, type Benchmark, type ParamValue } from './benchmark.js';
import { RatchetError, type RatchetErrorCode } from './errors.js';
import type { ParamSpec, ProblemSpec } from './problem.js';

export const kernelName: Check<string> = (v, w) =>
  typeof v === 'string' && idSegmentPattern.test(v) ? v : fail(w, "a kernel name of letters, digits, '_', '.' or '-'", v);

const paramValue: Check<ParamValue> = (v, w) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && idSegmentPattern.test(v)) return v;
  return fail(w, "an integer, a boolean, or a name of letters, digits, '_', '.' or '-'", v);
};

/** A benchmark's form: `kernel` and parameters whose names and values can make an id. */
export const benchmarkForm: Check<Benchmark> = (v, w) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(w, 'an object with a "kernel" and its parameters', v);
  const input = v as Record<string, unknown>;
  const out: Record<string, ParamValue> = { kernel: kernelName(input.kernel, at(w, 'kernel')) };
  for (const [name, value] of Object.entries(input)) {
    if (name === 'kernel') continue;
    if (!paramNamePattern.test(name)) failWith(w, `parameter name '${name}' must be letters and digits, starting with a letter`);
    out[name] = paramValue(value, at(w, name));
  }
  return out as Benchmark;
};

function describeValues(values: readonly (string | number)[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

function checkParam(spec: ParamSpec, value: unknown, where: Where): ParamValue {
  switch (spec.type) {
    case 'bool':
      return typeof value === 'boolean' ? value : fail(where, 'a boolean', value);
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? value : fail(where, `one of ${describeValues(spec.values)}`, value);
    case 'int': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail(where, 'an integer', value);
      if (spec.values && !spec.values.includes(value)) return fail(where, `one of ${describeValues(spec.values)}`, value);
      if (value < spec.min || value > spec.max) return fail(where, `an integer from ${spec.min} to ${spec.max}`, value);
      return value;
    }
  }
}

/**
 * The name in `known` that `name` was most likely meant to be: the same but for case, or one or
 * two letters away (a typo such as `flash_fw` or `Seq`); null when none is that close.
 */
export function closestName(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase();
  const exact = known.find((candidate) => candidate.toLowerCase() === lower);
  if (exact) return exact;
  const ranked = known.map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) })).sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.min(2, Math.floor(name.length / 3)) ? best.candidate : null;
}

/** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * Everything wrong with a benchmark against its problem, in order: parameters it does not declare
 * (with the name most likely meant), then each declared one missing or with a value it does not
 * allow. `ratchet check` reports them all at once; checkBenchmarkAgainst throws the first.
 */
export function benchmarkFaults(problem: ProblemSpec, value: Benchmark, place: { file: string; field: string; code?: RatchetErrorCode }): RatchetError[] {
  const where: Where = { file: place.file, path: place.field, code: place.code ?? 'ERR_RATCHET_INVALID_BENCHMARK' };
  const declared = problem.params.map((param) => param.name);
  const faults: RatchetError[] = [];
  const attempt = (check: () => unknown) => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof RatchetError)) throw error;
      faults.push(error);
    }
  };
  for (const name of Object.keys(value)) {
    if (name === 'kernel' || declared.includes(name)) continue;
    const meant = closestName(name, declared.filter((d) => !(d in value)));
    attempt(() => failWith(where, `unknown parameter '${name}' of ${problem.name}${meant ? ` (did you mean '${meant}'?)` : ''} (its parameters: ${declared.join(', ')})`));
  }
  for (const param of problem.params) {
    const field = at(where, param.name);
    if (!(param.name in value)) {
      attempt(() => failWith(field, `missing: ${problem.name} needs ${param.name} (${param.type === 'int' ? `an integer from ${param.min} to ${param.max}` : param.type === 'enum' ? `one of ${describeValues(param.values)}` : 'a boolean'})`));
    } else attempt(() => checkParam(param, value[param.name], field));
  }
  return faults;
}

/**
 * A benchmark checked against its problem: every declared parameter present with an allowed
 * value, none other; returned with its parameters in the problem's order. Errors name the file
 * and field (`ratchet.config.json: suites.cuda[2].S: expected an integer from 1 to ...`).
 */
export function checkBenchmarkAgainst(problem: ProblemSpec, value: Benchmark, place: { file: string; field: string; code?: RatchetErrorCode }): Benchmark {
  const [first] = benchmarkFaults(problem, value, place);
  if (first) throw first;
  const out: Record<string, ParamValue> = { kernel: value.kernel };
  for (const param of problem.params) out[param.name] = value[param.name]!;
  return out as Benchmark;
}
