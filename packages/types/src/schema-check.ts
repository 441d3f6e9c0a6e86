// Every file format is defined once, as a TypeBox schema (schemas/*.ts): its TypeScript type is
// the schema's Static, its JSON Schema file is the schema written out (scripts/schemas.mjs), and
// its validator is this interpreter of the schema. The interpreter reads the schema's JSON Schema
// keywords only, and says what failed the way the rest of Ratchet does,
// `<file>: <field>: expected <what> but received <value> (<type>)`, the <what> read off the
// keywords (`exclusiveMinimum: 0` is "a positive number") or off the node's `errorMessage`.
//
// Two passes: `matches` walks the document allocating nothing (a dashboard reads half a million
// benchmark entries; a baseline holds a million samples), and only a document it refuses is walked
// again by `explain`, which builds field paths and throws the first fault.
import type { TSchema } from '@sinclair/typebox';
import { at, fail, failWith, type Where } from './_check.js';
import { RatchetError } from './errors.js';

/** JSON Schema as this interpreter reads it (the keywords TypeBox writes, and `errorMessage`). */
interface Node {
  type?: string;
  const?: unknown;
  enum?: readonly unknown[];
  anyOf?: Node[];
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean | Node;
  patternProperties?: Record<string, Node>;
  propertyNames?: Node;
  items?: Node | Node[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  /** The "expected ..." text for this node where its keywords do not say it well (also shown by VS Code). */
  errorMessage?: string;
}

/** Messages of their own for a few nodes (a schemaVersion from a newer Ratchet); run before the generic ones. */
const messageHooks = new WeakMap<object, (value: unknown, where: Where) => void>();

/** Gives `schema` a message of its own: `explain` calls `hook` first, which throws where it has something better to say. */
export function withMessage<T extends TSchema>(schema: T, hook: (value: unknown, where: Where) => void): T {
  messageHooks.set(schema, hook);
  return schema;
}

const patterns = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) patterns.set(source, (compiled = new RegExp(source, 'u')));
  return compiled;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function numberMatches(s: Node, v: unknown): boolean {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (s.type === 'integer' && !Number.isInteger(v)) return false;
  return (
    (s.minimum === undefined || v >= s.minimum) && (s.maximum === undefined || v <= s.maximum) &&
    (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum) && (s.exclusiveMaximum === undefined || v < s.exclusiveMaximum)
  );
}

/** The schema of the property `key` of an object node, or undefined where the key is not allowed. */
function propertySchema(s: Node, key: string): Node | undefined {
  const named = s.properties?.[key];
  if (named) return named;
  if (s.patternProperties) {
    for (const [source, schema] of Object.entries(s.patternProperties)) if (regex(source).test(key)) return schema;
  }
  return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
}

function arrayMatches(s: Node, v: unknown[]): boolean {
  if ((s.minItems !== undefined && v.length < s.minItems) || (s.maxItems !== undefined && v.length > s.maxItems)) return false;
  if (Array.isArray(s.items)) return s.items.every((item, i) => matches(item, v[i]));
  const items = s.items;
  if (!items) return true;
  for (let i = 0; i < v.length; i += 1) if (!matches(items, v[i])) return false;
  return true;
}

function objectMatches(s: Node, v: Record<string, unknown>): boolean {
  for (const key of s.required ?? []) if (v[key] === undefined) return false;
  for (const key in v) {
    const value = v[key];
    if (value === undefined) continue;
    if (s.propertyNames && !matches(s.propertyNames, key)) return false;
    const schema = propertySchema(s, key);
    if (schema ? !matches(schema, value) : s.additionalProperties === false) return false;
  }
  return true;
}

/** True when `value` is a document of `schema`; allocates nothing. */
export function matches(schema: TSchema | Node, value: unknown): boolean {
  const s = schema as Node;
  if (s.anyOf) return s.anyOf.some((option) => matches(option, value));
  if ('const' in s) return value === s.const;
  if (s.enum) return s.enum.includes(value);
  switch (s.type) {
    case 'string':
      return typeof value === 'string' && (s.minLength === undefined || value.length >= s.minLength) && (s.pattern === undefined || regex(s.pattern).test(value)) &&
        (s.format !== 'date-time' || Number.isFinite(Date.parse(value)));
    case 'number':
    case 'integer':
      return numberMatches(s, value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value) && arrayMatches(s, value);
    case 'object':
      return isObject(value) && objectMatches(s, value);
    default:
      return true;
  }
}

const joinConsts = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join(', ');

function describeNumber(s: Node): string {
  const { minimum: min, maximum: max, exclusiveMinimum: xmin, exclusiveMaximum: xmax } = s;
  if (s.type === 'integer') return min === undefined ? 'an integer' : `an integer >= ${min}`;
  if (xmin !== undefined && xmax !== undefined) return `a number between ${xmin} and ${xmax} (exclusive)`;
  if (min !== undefined && max !== undefined) return `a number from ${min} to ${max}`;
  if (xmin === 0) return 'a positive number';
  if (min === 0) return 'a non-negative number';
  return 'a finite number';
}

/** What a node asks for, as the message words it ("a positive number", `one of "ok", "invalid"`). */
export function describe(schema: TSchema | Node): string {
  const s = schema as Node;
  if (s.errorMessage) return s.errorMessage;
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return `one of ${joinConsts(s.enum)}`;
  if (s.anyOf) {
    const options = s.anyOf.filter((option) => option.type !== 'null');
    if (options.every((option) => 'const' in option)) return `one of ${joinConsts(options.map((option) => option.const))}`;
    return [...new Set(options.map(describe))].join(' or ');
  }
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time') return 'an ISO 8601 time';
      return s.minLength ? 'a non-empty string' : 'a string';
    case 'number':
    case 'integer':
      return describeNumber(s);
    case 'boolean':
      return 'a boolean';
    case 'array':
      if (Array.isArray(s.items)) return s.items.length === 2 ? 'a pair [low, high]' : `an array of ${s.items.length} items`;
      if (s.maxItems !== undefined) return `an array of at most ${s.maxItems} items`;
      return s.minItems ? 'a non-empty array' : 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a value';
  }
}

function explainObject(s: Node, v: Record<string, unknown>, where: Where): void {
  const known = Object.keys(s.properties ?? {});
  for (const key of Object.keys(v)) {
    if (v[key] === undefined) continue;
    if (s.propertyNames && !matches(s.propertyNames, key)) failWith(at(where, key), `the key is not ${describe(s.propertyNames)}`);
    if (!propertySchema(s, key) && s.additionalProperties === false) failWith(where, `unknown key '${key}' (expected one of ${known.join(', ')})`);
  }
  const required = new Set(s.required ?? []);
  // Fields in the order the schema declares them, as the hand-written checks did; then the keys of a record.
  for (const [key, schema] of Object.entries(s.properties ?? {})) {
    if (required.has(key) || v[key] !== undefined) explain(schema, v[key], at(where, key));
  }
  for (const [key, value] of Object.entries(v)) {
    if (s.properties?.[key] || value === undefined) continue;
    const schema = propertySchema(s, key);
    if (schema) explain(schema, value, at(where, key));
  }
}

/** The field every option of a union of objects fixes to a constant of its own, if there is one. */
function discriminator(options: Node[]): string | undefined {
  const first = options[0];
  if (!first?.properties || options.some((option) => option.type !== 'object')) return undefined;
  return Object.keys(first.properties).find((key) => options.every((option) => option.properties?.[key] && 'const' in option.properties[key]! && option.required?.includes(key)));
}

function explainAny(s: Node, value: unknown, where: Where): void {
  const options = s.anyOf!;
  const notNull = options.filter((option) => option.type !== 'null');
  // `X or null` is reported as X (a null is allowed but never the point); a one-of list as a whole.
  if (notNull.length === 1 && value !== null) return explain(notNull[0]!, value, where);
  // Objects told apart by one field (`kind`): that field's value picks the shape the rest is held to.
  const tag = discriminator(notNull);
  if (tag && isObject(value)) {
    const chosen = notNull.find((option) => option.properties![tag]!.const === value[tag]);
    if (!chosen) fail(at(where, tag), `one of ${joinConsts(notNull.map((option) => option.properties![tag]!.const))}`, value[tag]);
    return explain(chosen, value, where);
  }
  if (!options.some((option) => matches(option, value))) fail(where, describe(s), value);
}

function explainArray(s: Node, value: unknown[], where: Where): void {
  if (Array.isArray(s.items)) {
    s.items.forEach((item, i) => explain(item, value[i], at(where, i)));
    return;
  }
  const items = s.items;
  if (items) for (let i = 0; i < value.length; i += 1) if (!matches(items, value[i])) explain(items, value[i], at(where, i));
}

/** Throws the first fault of `value` against `schema`, as `<file>: <field>: expected ... but received ...`. */
export function explain(schema: TSchema | Node, value: unknown, where: Where): void {
  const s = schema as Node;
  messageHooks.get(s)?.(value, where);
  if (s.anyOf) return explainAny(s, value, where);
  if (!matches(s, value) && s.type !== 'object' && s.type !== 'array') fail(where, describe(s), value);
  if (s.type === 'array') {
    if (!Array.isArray(value) || (s.minItems !== undefined && value.length < s.minItems) || (s.maxItems !== undefined && value.length > s.maxItems)) fail(where, describe(s), value);
    explainArray(s, value, where);
  }
  if (s.type === 'object') {
    if (!isObject(value)) fail(where, describe(s), value);
    explainObject(s, value, where);
  }
}

/**
 * `value` as a document of `schema`, or the first fault thrown as a RatchetError of `where.code`.
 * The cross-field rules of a format (counts that tally, one clock per sample) are checked by its
 * validator after this.
 */
export function checkSchema<T>(schema: TSchema, value: unknown, where: Where): T {
  if (matches(schema, value)) return value as T;
  explain(schema, value, where);
  // Both passes read the same keywords; a document one refuses and the other accepts is a bug here.
  throw new RatchetError('ERR_RATCHET_INTERNAL', `${where.file}: does not match its schema, but no field was found at fault`, { file: where.file });
}
