import { describe, expect, it } from 'vitest';
import { radixSortPositive } from './radix-sort.js';

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
  it('leaves its input unchanged', () => {
    const values = Float64Array.from([3, 1, 2]);
    radixSortPositive(values);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });
});
