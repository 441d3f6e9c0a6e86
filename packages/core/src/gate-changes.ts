import { isDeepStrictEqual } from 'node:util';
import type { Backend, GateChanges, RatchetConfig, RemovedBenchmark, ThresholdChange, Thresholds } from '@ratchet/types';

type Value = number | string | null;

/**
 * Whether the head's value of a threshold would let through a change the base's value fails:
 * a higher regression threshold or run-to-run spread, a lower alpha, Holm's correction where the
 * base tested each benchmark alone. The improvement threshold and the bound on new entries decide
 * what moves the baseline, not what fails a build: changed, never looser.
 */
const looser: Record<keyof Thresholds, (base: Value, head: Value) => boolean> = {
  regressionPct: (base, head) => Number(head) > Number(base),
  relativeRegressionPct: (base, head) => Number(head) > Number(base),
  runToRunPct: (base, head) => Number(head ?? 0) > Number(base ?? 0),
  alpha: (base, head) => Number(head) < Number(base),
  suiteControl: (base, head) => (base ?? 'holm') === 'none' && (head ?? 'holm') !== 'none',
  improvementPct: () => false,
  newEntryMaxCvPct: () => false,
};

/** The thresholds the head sets otherwise than the config that judged it (defaults applied to both). */
export function thresholdChanges(judgedWith: Thresholds, head: Thresholds): ThresholdChange[] {
  return (Object.keys(looser) as (keyof Thresholds)[])
    .map((key) => ({ key, base: judgedWith[key] ?? null, head: head[key] ?? null }))
    .filter((change) => change.base !== change.head)
    .map((change) => ({ ...change, looser: looser[change.key](change.base, change.head) }));
}

/**
 * How the head's config differs from the one whose gate judges a relative run on `backend`:
 * thresholds (each marked looser or not), the base suite's benchmarks the head leaves out (from
 * the caller, who knows which the head can still run), and the other sections it changes.
 */
export function gateChanges(options: { judgedWith: GateChanges['judgedWith']; gate: RatchetConfig; head: RatchetConfig; backend: Backend; removed: RemovedBenchmark[] }): GateChanges {
  const { gate, head, backend } = options;
  const sections: [string, unknown, unknown][] = [
    [`budgets.${backend}`, gate.budgets[backend], head.budgets[backend]],
    ['build', gate.build ?? null, head.build ?? null],
    ['plugins', gate.plugins, head.plugins],
    ['processes', gate.processes, head.processes],
  ];
  return {
    judgedWith: options.judgedWith,
    thresholds: thresholdChanges(gate.thresholds, head.thresholds),
    removed: options.removed,
    changed: sections.filter(([, base, mine]) => !isDeepStrictEqual(base, mine)).map(([name]) => name),
  };
}
