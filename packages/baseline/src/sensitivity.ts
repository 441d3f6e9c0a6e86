// What a comparison could have caught: its minimum detectable change (MDC), the smallest true
// slowdown its rule calls a regression with 95% probability, worked out from the comparison's own
// spread (run-to-run included across runs), tick bound, effective samples, threshold and level.
// On the log scale the estimate is normal with the spread as its standard error, so a rule that
// needs the lower end of a CI at z past a limit reaches it with probability 95% once the true
// ratio is z + z(0.95) standard errors past the limit. The test beside the interval must be able
// to reach the level at all (test-floor.ts in @ratchet/stats): a comparison of 12 turns judged at
// a 16-benchmark pull request's level cannot, whatever the slowdown, and states none.
import { normalQuantile, testFloor } from '@ratchet/stats';
import type { BenchmarkComparison, DetectionRule, RunSensitivity, Sensitivity, Thresholds } from '@ratchet/types';
import { totalSeLog, type Evidence } from './evidence.js';

/** A minimum detectable change is the slowdown caught with this probability. */
export const detectionPower = 0.95;
const zPower = normalQuantile(detectionPower);

/**
 * What the stopping rule samples each comparison for: a minimum detectable change at or below this
 * many regression thresholds (a 1.5% threshold: slowdowns of 3% caught 95% of the time).
 */
export const aimMultiple = 2;

/**
 * How far past the regression threshold, in run-to-run spreads (the entry's sd per run), a
 * cross-run change must be to fail when it cannot be confirmed against the baseline's commit. The
 * confirmation exists to keep drift between runs from failing builds; a change past this is past
 * any drift those runs showed. `pnpm bench:stats` shows why 10 (docs/benchmarks.md).
 */
export const unconfirmableSpreads = 10;

/** The spread of ln(ratio) a rule reads: its standard error and the tick's worst-case bias. */
export interface LogSpread {
  seLog: number;
  tickBoundLog: number;
}

/**
 * ln of the smallest true ratio that `rule` calls past `limitLog` with 95% probability at the
 * two-sided `level`: the lower end of the CI past the limit (`interval`, `unconfirmable`), or the
 * estimate alone past it (`confirmation`: the change is then measured again interleaved).
 */
export function detectableLog(spread: LogSpread, limitLog: number, level: number, rule: DetectionRule): number {
  const zLevel = rule === 'confirmation' ? 0 : normalQuantile(1 - level / 2);
  return limitLog + (zLevel + zPower) * spread.seLog + spread.tickBoundLog;
}

/**
 * ln of the ratio a change must pass to be a regression by `rule`: the threshold, and for an
 * unconfirmable cross-run change the threshold times unconfirmableSpreads run-to-run spreads.
 */
export function regressionLimitLog(e: Pick<Evidence, 'slower' | 'runToRun'>, rule: DetectionRule): number {
  const spreads = rule === 'unconfirmable' ? (unconfirmableSpreads * (e.runToRun?.pct ?? 0)) / 100 : 0;
  return Math.log(e.slower) + spreads;
}

/** This comparison's minimum detectable change under `rule`, judged at the two-sided `level`. */
export function sensitivityOf(e: Evidence, level: number, rule: DetectionRule): Sensitivity {
  // The estimate alone decides whether a change is measured again: any sample count can give one.
  const reachable = rule === 'confirmation' || (e.tooFew === null && testFloor(e.time) < level / 2);
  if (!reachable) return { mdcPct: null, rule };
  const spread = { seLog: totalSeLog(e), tickBoundLog: e.time.tickBoundLog };
  return { mdcPct: Math.expm1(detectableLog(spread, regressionLimitLog(e, rule), level, rule)) * 100, rule };
}

/** How many of a run's comparisons could catch twice the threshold, and what the run could catch. */
export function runSensitivity(results: readonly BenchmarkComparison[], thresholds: Thresholds): RunSensitivity | undefined {
  const stated = results.flatMap((r) => (r.sensitivity ? [r.sensitivity.mdcPct] : []));
  if (stated.length === 0) return undefined;
  const aimPct = aimMultiple * thresholds.regressionPct;
  // A hair of tolerance: a comparison stopped exactly at its aim states it to the last digit.
  const within = stated.filter((mdc): mdc is number => mdc !== null && mdc <= aimPct * (1 + 1e-9));
  return {
    aimPct,
    benchmarks: stated.length,
    withinAim: within.length,
    mdcPct: within.length > 0 ? Math.max(...within) : null,
    worstPct: stated.some((mdc) => mdc === null) ? null : Math.max(...(stated as number[])),
  };
}
