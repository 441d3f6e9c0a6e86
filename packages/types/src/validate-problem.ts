// A problem source's declarations are untrusted input (a plugin, a child process): every field
// is checked before a problem joins the catalog, so a lying descriptor fails with its field named.
import { array, failWith, integer, nonEmptyArray, nonEmptyString, object, oneOf, string, type Check, type Where } from './_check.js';
import { idSegmentPattern, paramNamePattern } from './benchmark.js';
import { backends } from './device.js';
import type { RatchetErrorCode } from './errors.js';
import type { ParamSpec, ProblemSource, ProblemSpec } from './problem.js';

const name = (pattern: RegExp, what: string): Check<string> => (v, w) => {
  const text = nonEmptyString(v, w);
  if (!pattern.test(text)) failWith(w, `${JSON.stringify(text)} is not ${what}`);
  return text;
};

const paramSpec: Check<ParamSpec> = (v, w) => {
  const kind = (v as { type?: unknown } | null)?.type;
  const common = { name: name(paramNamePattern, 'a parameter name (letters and digits, starting with a letter)') };
  const described = { description: string };
  if (kind === 'int') {
    const spec = object({ ...common, type: oneOf(['int'] as const), min: integer(Number.MIN_SAFE_INTEGER), max: integer(Number.MIN_SAFE_INTEGER) }, { ...described, values: nonEmptyArray(integer(Number.MIN_SAFE_INTEGER)) })(v, w);
    if (spec.max < spec.min) failWith(w, `max ${spec.max} is below min ${spec.min}`);
    return spec as ParamSpec;
  }
  if (kind === 'enum') return object({ ...common, type: oneOf(['enum'] as const), values: nonEmptyArray(name(idSegmentPattern, "a value of letters, digits, '_', '.' or '-'")) }, described)(v, w) as ParamSpec;
  return object({ ...common, type: oneOf(['bool'] as const) }, described)(v, w) as ParamSpec;
};

/** One problem as a source declares it, checked field by field; `source` is where it came from. */
export function validateProblemSpec(value: unknown, source: ProblemSource, where: { file: string; field: string; code: RatchetErrorCode }): ProblemSpec {
  const at: Where = { file: where.file, path: where.field, code: where.code };
  const spec = object({
    name: name(idSegmentPattern, "a problem name of letters, digits, '_', '.' or '-'"),
    summary: string,
    params: array(paramSpec),
    variants: nonEmptyArray(nonEmptyString),
    backends: nonEmptyArray(oneOf(backends)),
  })(value, at);
  const seen = new Set<string>();
  spec.params.forEach((param, index) => {
    if (seen.has(param.name)) failWith({ ...at, path: `${at.path}.params[${index}]` }, `parameter '${param.name}' is declared twice`);
    seen.add(param.name);
  });
  if (new Set(spec.variants).size !== spec.variants.length) failWith({ ...at, path: `${at.path}.variants` }, 'a variant is named twice');
  return { ...spec, source };
}
