import { describe, expect, it } from 'vitest';
import type { BenchmarkComparison, Comparison, Verdict } from '@ratchet/types';
import { gate } from './gate.js';

function judged(verdicts: Verdict[]): Comparison {
  const results = verdicts.map((verdict, i) => ({ id: `k/b${i}`, verdict }) as BenchmarkComparison);
  const counts = { regression: 0, improvement: 0, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0 };
  for (const verdict of verdicts) counts[verdict] += 1;
  return { results, counts } as unknown as Comparison;
}

describe('gate', () => {
  it('passes improvements, unchanged, new, missing and inconclusive', () => {
    expect(gate(judged(['improvement', 'unchanged', 'new', 'missing', 'inconclusive']))).toEqual({ passed: true, failing: [], reason: 'no regression and every kernel passed its check' });
  });
  it('fails on a regression or a kernel that failed its check, naming them', () => {
    expect(gate(judged(['unchanged', 'regression', 'invalid', 'invalid']))).toEqual({
      passed: false, failing: ['k/b1', 'k/b2', 'k/b3'], reason: '1 regression and 2 kernels failed the correctness check',
    });
  });
});
