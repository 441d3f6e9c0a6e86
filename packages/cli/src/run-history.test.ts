import { describe, expect, it } from 'vitest';
import type { Baseline, Comparison } from '@ratchet/types';
import { baselineState } from './run-history.js';

const result = (id: string, verdict: string, median: number) => ({ id, verdict, current: { median } });
const comparison = (results: ReturnType<typeof result>[], relative = false) =>
  ({ device: { deviceKey: 'gpu/a' }, results, ...(relative ? { relative: { baseRef: 'main', baseSha: 'abc' } } : {}) }) as unknown as Comparison;
const baseline = (medians: Record<string, number>) =>
  ({ devices: { 'gpu/a': { benchmarks: Object.fromEntries(Object.entries(medians).map(([id, median]) => [id, { summary: { median } }])) } } }) as unknown as Baseline;

describe('baselineState: what the run behind a saved comparison did to the baseline', () => {
  it('is updated when the baseline holds every improved and new figure, kept when it holds none', () => {
    const c = comparison([result('a', 'improvement', 1), result('b', 'new', 2), result('c', 'unchanged', 3)]);
    expect(baselineState(c, baseline({ a: 1, b: 2, c: 3.1 }))).toBe('updated');
    expect(baselineState(c, baseline({ a: 1.2 }))).toBe('kept');
    expect(baselineState(c, null)).toBe('kept');
  });
  it('is unknown when the file holds some of them, or there is nothing to tell by; kept in relative mode', () => {
    expect(baselineState(comparison([result('a', 'improvement', 1), result('b', 'new', 2)]), baseline({ a: 1 }))).toBeUndefined();
    expect(baselineState(comparison([result('a', 'regression', 1)]), baseline({}))).toBeUndefined();
    expect(baselineState(comparison([result('a', 'improvement', 1)], true), baseline({ a: 1 }))).toBe('kept');
  });
});
