import type { Comparison, RunResult } from '@ratchet/types';

/**
 * Each result of an imported run with the benchmark's name in its harness's terms: what a Check
 * run annotation needs to find the test's file (pytest's `tests/test_x.py::test_y`), kept in the
 * comparison so that posting it later needs no other file.
 */
export function withHarnessNames(comparison: Comparison, run: RunResult): Comparison {
  const names = new Map(run.measurements.flatMap((m) => (m.harnessName ? [[m.id, m.harnessName] as const] : [])));
  if (names.size === 0) return comparison;
  return { ...comparison, results: comparison.results.map((r) => (names.has(r.id) ? { ...r, harnessName: names.get(r.id)! } : r)) };
}
