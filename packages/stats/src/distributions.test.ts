import { describe, expect, it } from 'vitest';
import reference from './reference-values.json' with { type: 'json' };
import { normalQuantile, studentTQuantile } from './distributions.js';

describe('quantiles against scipy', () => {
  for (const { p, dof, value } of reference.tQuantiles) {
    it(`t(${p}, dof ${dof}) = ${value.toPrecision(8)}`, () => {
      expect(Math.abs(studentTQuantile(p, dof) - value) / value).toBeLessThan(1e-9);
    });
  }
  for (const { p, value } of reference.normalQuantiles) {
    it(`z(${p}) = ${value.toPrecision(8)}`, () => {
      expect(Math.abs(normalQuantile(p) - value) / Math.abs(value)).toBeLessThan(1e-9);
    });
  }
  it('rejects probabilities outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => normalQuantile(0)).toThrow(RangeError);
  });
});
