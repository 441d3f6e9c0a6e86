// The boundary of @ratchet/stats: every set of samples enters through here, checked, and leaves
// sorted (with, where asked, the permutation that sorted it, so ranks in the order taken are free).
import { RatchetError } from '@ratchet/types';
import { radixSortPositiveWithOrder } from './radix-sort.js';

/** Samples as callers hold them: a JSON array, or a typed array already. */
export type SampleValues = readonly number[] | Float64Array;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  return `${String(value)} (${typeof value})`;
}

/**
 * A copy as a Float64Array, every value checked: a time is a positive finite number, so 0, a
 * negative, NaN, null or a numeric string is refused with its index (Float64Array.from would
 * silently turn null into 0 and "1.5" into 1.5).
 */
export function checkedSamples(values: SampleValues, what = 'samples'): Float64Array {
  return checkedCopy(values, what).copy;
}

/** checkedSamples, and whether the values came ascending (found in the same pass). */
export function checkedCopy(values: SampleValues, what = 'samples'): { copy: Float64Array; ascending: boolean } {
  if (values.length === 0) throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `cannot summarize an empty set of ${what}`);
  const copy = new Float64Array(values.length);
  let ascending = true;
  let previous = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value: unknown = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      const kind = typeof value === 'number' && Number.isFinite(value) ? 'positive' : 'positive finite';
      throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${what} must be ${kind} numbers (milliseconds) but ${what}[${i}] is ${describe(value)}`);
    }
    if (value < previous) ascending = false;
    previous = value;
    copy[i] = value;
  }
  return { copy, ascending };
}

/** sortWithOrder of checked values (all positive already: no second look at them). */
export function sortCheckedWithOrder(values: Float64Array): SortedWithOrder {
  return values.length > 64 ? radixSortPositiveWithOrder(values) : sortWithOrder(values);
}

export function isAscending(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i += 1) if (values[i - 1]! > values[i]!) return false;
  return true;
}

/** Sorted values with `order[j]`, the index in the input of `sorted[j]`. */
export interface SortedWithOrder {
  sorted: Float64Array;
  order: Uint32Array;
}

function allPositive(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i += 1) if (!(values[i]! > 0)) return false;
  return true;
}

/** Sorts finite values and says where each came from (by bits when all are positive: fast). */
export function sortWithOrder(values: Float64Array): SortedWithOrder {
  if (values.length > 64 && allPositive(values)) return radixSortPositiveWithOrder(values);
  const order = Uint32Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  return { sorted: Float64Array.from(order, (i) => values[i]!), order };
}

/** A sorted, checked copy of samples (ms). */
export function sortedSamples(samplesMs: SampleValues): Float64Array {
  const { copy, ascending } = checkedCopy(samplesMs);
  return ascending ? copy : sortCheckedWithOrder(copy).sorted; // baselines store their samples sorted
}

/**
 * Sorted input as the order-statistic functions need it: the input itself when it is ascending,
 * else a sorted copy (a caller that passes unsorted data gets right answers, not silent nonsense).
 */
export function ascending(values: Float64Array): Float64Array {
  // An empty set has no order statistics: indexing it would hand back undefined as a number.
  if (values.length === 0) throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', 'cannot summarize an empty set of samples');
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `samples must be finite numbers but one is ${value}`);
  }
  return isAscending(values) ? values : Float64Array.from(values).sort();
}
