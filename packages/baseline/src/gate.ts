import type { Comparison } from '@ratchet/types';

/** Whether a judged run may pass: what fails a pull request, said once for every command. */
export interface Gate {
  passed: boolean;
  /** Confirmed regressions and kernels that failed their check, by id. */
  failing: string[];
  /** One line: why it passed or failed. */
  reason: string;
}

/**
 * A run fails when at least one benchmark regressed (confirmed) or failed its correctness check;
 * everything else (improvements, unchanged, new, missing, inconclusive) passes.
 */
export function gate(comparison: Comparison): Gate {
  const failing = (comparison.results ?? []).filter((r) => r.verdict === 'regression' || r.verdict === 'invalid').map((r) => r.id);
  const { regression, invalid } = comparison.counts;
  if (regression + invalid === 0) return { passed: true, failing, reason: 'no regression and every kernel passed its check' };
  const parts = [regression ? `${regression} regression${regression === 1 ? '' : 's'}` : '', invalid ? `${invalid} kernel${invalid === 1 ? '' : 's'} failed the correctness check` : ''].filter(Boolean);
  return { passed: false, failing, reason: parts.join(' and ') };
}
