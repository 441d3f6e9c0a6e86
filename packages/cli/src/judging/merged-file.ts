// A judged run as `ratchet ci` and `ratchet report` read it: one comparison (`run`, `compare`), or
// the comparisons of a merge (`ratchet merge`: one per device key), told apart by their shape.
import { gate, type Gate } from '@ratchet/baseline';
import { readJson } from '@ratchet/files';
import { isMergedComparisons, validateComparison, validateMergedComparisons, type Comparison, type MergedComparisons } from '@ratchet/types';

export type Judged = { kind: 'one'; comparison: Comparison } | { kind: 'merged'; merged: MergedComparisons };

/** A comparison file or a merge's, read and validated as what its shape says it is. */
export async function readJudged(path: string): Promise<Judged> {
  return readJson<Judged>(path, (value, file) => (
    isMergedComparisons(value) ? { kind: 'merged', merged: validateMergedComparisons(value, file) } : { kind: 'one', comparison: validateComparison(value, file) }
  ), { code: 'ERR_RATCHET_INVALID_RESULTS' });
}

/** A merge passes when every device's comparison does. */
export function mergedGate(merged: MergedComparisons): Gate {
  const gates = merged.comparisons.map((comparison) => ({ key: comparison.device.deviceKey, gate: gate(comparison) }));
  const failing = gates.filter(({ gate: g }) => !g.passed);
  return {
    passed: failing.length === 0,
    failing: failing.flatMap(({ key, gate: g }) => g.failing.map((id) => `${key}: ${id}`)),
    reason: failing.length === 0 ? `no regression on any of ${gates.length} device(s)` : failing.map(({ key, gate: g }) => `${key}: ${g.reason}`).join('; '),
  };
}

/**
 * The comparisons of a merge as one comparison for what reads only counts and verdicts (the step
 * outputs, the exit status): results of every device, each id prefixed by its device key.
 */
export function combined(merged: MergedComparisons): Comparison {
  const [first] = merged.comparisons;
  const results = merged.comparisons.flatMap((c) => c.results.map((r) => ({ ...r, id: `${c.device.deviceKey}: ${r.id}` })));
  const counts = Object.fromEntries(Object.keys(first!.counts).map((verdict) => [verdict, results.filter((r) => r.verdict === verdict).length])) as Comparison['counts'];
  const { relative: _relative, errorControl: _errorControl, sensitivity: _sensitivity, ...rest } = first!;
  return { ...rest, results, counts };
}

export function mergedJson(merged: MergedComparisons): string {
  return `${JSON.stringify(merged, null, 2)}\n`;
}
