// Sorting non-negative doubles fast. Float64Array.prototype.sort spends about 0.8 ms on 10,000
// samples, and judging 1,000 benchmarks sorts 2,000 such sets. For non-negative doubles the bit
// pattern orders like the number, so: an LSD radix sort on the upper 32 bits (sign, exponent,
// top 20 mantissa bits), skipping digits every value shares, then one insertion pass that orders
// values whose upper words tie (they differ by less than 1e-6 relative: few, and adjacent).

const digitBits = 11;
const buckets = 1 << digitBits;
const digitMask = buckets - 1;

/** Sorts `values` (all finite and > 0) ascending; returns a new array, the input unchanged. */
export function radixSortPositive(values: Float64Array): Float64Array {
  return radixSortPositiveWithOrder(values).sorted;
}

/**
 * radixSortPositive, plus where each sorted value came from: `sorted[j] === values[order[j]]`
 * (the ranks of the samples in the order taken, which the autocorrelation needs, come free).
 */
export function radixSortPositiveWithOrder(values: Float64Array): { sorted: Float64Array; order: Uint32Array } {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let keys = new Uint32Array(n);
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) {
    keys[i] = words[2 * i + 1]!;
    order[i] = i;
  }
  let nextKeys = new Uint32Array(n);
  let nextOrder = new Uint32Array(n);
  const counts = new Uint32Array(buckets);
  for (let shift = 0; shift < 32; shift += digitBits) {
    counts.fill(0);
    for (let i = 0; i < n; i += 1) counts[(keys[i]! >>> shift) & digitMask]! += 1;
    if (counts[(keys[0]! >>> shift) & digitMask] === n) continue; // a digit all share orders nothing
    let total = 0;
    for (let b = 0; b < buckets; b += 1) {
      const count = counts[b]!;
      counts[b] = total;
      total += count;
    }
    for (let i = 0; i < n; i += 1) {
      const target = counts[(keys[i]! >>> shift) & digitMask]!++;
      nextKeys[target] = keys[i]!;
      nextOrder[target] = order[i]!;
    }
    [keys, nextKeys] = [nextKeys, keys];
    [order, nextOrder] = [nextOrder, order];
  }
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i += 1) sorted[i] = values[order[i]!]!;
  for (let i = 1; i < n; i += 1) {
    const value = sorted[i]!;
    const from = order[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! > value) {
      sorted[j + 1] = sorted[j]!;
      order[j + 1] = order[j]!;
      j -= 1;
    }
    sorted[j + 1] = value;
    order[j + 1] = from;
  }
  return { sorted, order };
}
