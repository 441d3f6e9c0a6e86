// Benchmarks checked in two steps: their form alone (any file that stores one: results,
// config), then against the problem that runs them (names, types and allowed values of its
// parameters), which also puts the parameters in the problem's order, the order of the id.
import { at, fail, failWith, type Check, type Where } from './_check.js';
import { idSegmentPattern, paramNamePattern, type Benchmark, type ParamValue } from './benchmark.js';
import type { RatchetErrorCode } from './errors.js';
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
 * A benchmark checked against its problem: every declared parameter present with an allowed
 * value, none other; returned with its parameters in the problem's order. Errors name the file
 * and field (`ratchet.config.json: suites.cuda[2].S: expected an integer from 1 to ...`).
 */
export function checkBenchmarkAgainst(problem: ProblemSpec, value: Benchmark, place: { file: string; field: string; code?: RatchetErrorCode }): Benchmark {
  const where: Where = { file: place.file, path: place.field, code: place.code ?? 'ERR_RATCHET_INVALID_BENCHMARK' };
  const declared = problem.params.map((param) => param.name);
  for (const name of Object.keys(value)) {
    if (name !== 'kernel' && !declared.includes(name)) {
      failWith(where, `unknown parameter '${name}' of ${problem.name} (its parameters: ${declared.join(', ')})`);
    }
  }
  const out: Record<string, ParamValue> = { kernel: value.kernel };
  for (const param of problem.params) {
    const field = at(where, param.name);
    if (!(param.name in value)) failWith(field, `missing: ${problem.name} needs ${param.name} (${param.type === 'int' ? `an integer from ${param.min} to ${param.max}` : param.type === 'enum' ? `one of ${describeValues(param.values)}` : 'a boolean'})`);
    out[param.name] = checkParam(param, value[param.name], field);
  }
  return out as Benchmark;
}
