import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline.js';

describe('sparkline', () => {
  it('scales values over their own range, lowest ▁ to highest █', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 10.5, 11])).toBe('▁▅█');
  });
  it('draws equal values flat, and nothing for no values', () => {
    expect(sparkline([2, 2, 2])).toBe('▄▄▄');
    expect(sparkline([])).toBe('');
    expect(sparkline([Number.NaN, 1, 2])).toBe('▁█');
  });
});
