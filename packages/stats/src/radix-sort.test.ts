import { describe, expect, it } from 'vitest';
import { radixSortPositive, radixSortPositiveWithOrder } from './radix-sort.js';

describe('radixSortPositive', () => {
  it('sorts like the numeric sort, across magnitudes, ties, near-ties and subnormals', () => {
    let state = 12345;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const values = Float64Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 0.5 : random() * 10 ** Math.floor(random() * 12 - 6)));
    values[10] = 5e-324;
    values[11] = 1 + 2 ** -40;
    values[13] = 1;
    values[12] = Number.MAX_VALUE;
    expect(Array.from(radixSortPositive(values))).toEqual(Array.from(Float64Array.from(values).sort()));
  });
  it('sorts distinct values that share their upper 32 bits, given descending (60,000 of them: quadratic once)', () => {
    // 1.5 and the 60,000 doubles just above it: one upper word, the lower words descending.
    const values = new Float64Array(60_000);
    const words = new Uint32Array(values.buffer);
    for (let i = 0; i < values.length; i += 1) {
      words[2 * i + 1] = 0x3ff80000;
      words[2 * i] = values.length - i;
    }
    const { sorted, order } = radixSortPositiveWithOrder(values);
    expect(Array.from(sorted)).toEqual(Array.from(Float64Array.from(values).sort()));
    expect(order[0]).toBe(values.length - 1);
    expect(order[values.length - 1]).toBe(0);
  });
  it('keeps equal values in the order they were taken, in short and long runs of one upper word', () => {
    for (const length of [10, 100]) {
      const values = Float64Array.from({ length }, (_, i) => 1 + (i % 2) * 2 ** -40);
      const { order } = radixSortPositiveWithOrder(values);
      const evens = Array.from({ length: length / 2 }, (_, i) => 2 * i);
      expect(Array.from(order)).toEqual([...evens, ...evens.map((i) => i + 1)]);
    }
  });
  it('leaves its input unchanged', () => {
    const values = Float64Array.from([3, 1, 2]);
    radixSortPositive(values);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });
});
