import { ratioInterval } from '@ratchet/stats';
import type { BaselineEntry, BenchmarkComparison, CyclesComparison, Interval, Measurement, Sensitivity, Thresholds, Verdict } from '@ratchet/types';
import { unconfirmableReading, type CrossRun } from './cross-run.js';
import { compareCycles, cyclesReport } from './cycles.js';
import { weigh, type Evidence } from './evidence.js';
import { aimMultiple, sensitivityOf } from './sensitivity.js';

// The rule (README, "How a verdict is reached", says the same). At the benchmark's level (alpha
// over the looks a run may take, then Holm's step across the run: suite-control.ts), with the
// ratio's CI at that level:
//   regression    the whole CI is past the regression threshold, and Mann-Whitney says slower
//                 (Wilcoxon's signed-rank test for sides paired turn by turn);
//   improvement   the whole CI is past the improvement threshold, and the test says faster;
//   unchanged     the whole CI lies between the two thresholds;
//   inconclusive  anything else: a CI that reaches across a threshold, tests that disagree, or
//                 too few (independent) samples. Never a guess.
// Why the whole CI and not the point estimate: "4.1% slower (CI +1.9%..+6.3%)" against a 3%
// threshold may well be a 2% change; calling it a regression produced 96-100% of the false alarms
// in simulation. A regression claims the change is past the threshold, so the interval must show it.

/** Lag-1 autocorrelation from which the reason says the samples were counted as fewer. */
const materialAutocorrelation = 0.1;

function signedPct(ratio: number): string {
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** Two significant digits, however small: a p-value is read against a level that may be 0.0003. */
function figure(x: number): string {
  return String(Number(x.toPrecision(2)));
}

/**
 * A p-value beside the level it was judged at ("p = 0.0012, judged at 0.00078"): "p < 0.001" for
 * a p above a level of 0.0003 read as a pass it was not.
 */
function pText(p: number, level: number, sided = ''): string {
  return `${sided}p = ${figure(p)}, judged at ${figure(level)}`;
}

/** "95%", "97.5%", "99.75%": the confidence of a two-sided interval at `level`. */
function confidenceText(level: number): string {
  return `${Number((100 * (1 - level)).toFixed(3))}%`;
}

interface Reading {
  verdict: Verdict;
  why: string;
  drift?: 'slower' | 'faster';
}

/** What the interval and the test say at `level`, before the cycles and A/A guards. */
function read(e: Evidence, ci: Interval, level: number, thresholds: Thresholds): Reading {
  if (e.tooFew) return { verdict: 'inconclusive', why: `${e.tooFew}; re-run with more samples` };
  const [low, high] = ci;
  const test = e.time.paired ? 'the signed-rank test' : 'Mann-Whitney';
  const oneSided = level / 2;
  if (low > e.slower) {
    if (e.time.pSlower < oneSided) return { verdict: 'regression', why: `the whole CI is past the ${thresholds.regressionPct}% threshold` };
    return { verdict: 'inconclusive', why: `the CI is past the ${thresholds.regressionPct}% threshold but ${test} does not call it slower (${pText(e.time.pSlower, oneSided, 'one-sided ')}); re-run with more samples` };
  }
  if (high < e.faster) {
    if (e.time.pFaster < oneSided) return { verdict: 'improvement', why: `the whole CI is past the ${thresholds.improvementPct}% threshold` };
    return { verdict: 'inconclusive', why: `the CI is past the ${thresholds.improvementPct}% threshold but ${test} does not call it faster (${pText(e.time.pFaster, oneSided, 'one-sided ')}); re-run with more samples` };
  }
  if (low >= e.faster && high <= e.slower) return { verdict: 'unchanged', why: `the whole CI is within -${thresholds.improvementPct}%..+${thresholds.regressionPct}%` };
  const crossed = high > e.slower ? thresholds.regressionPct : thresholds.improvementPct;
  return { verdict: 'inconclusive', why: `the CI reaches across the ${crossed}% threshold; re-run with more samples` };
}

/** A change in time must hold in cycles too, at the same level: else the clock moved, not the code. */
function cyclesGuard(e: Evidence, reading: Reading, measurement: Measurement, entry: BaselineEntry, level: number): { reading: Reading; cycles?: CyclesComparison } {
  if (reading.verdict !== 'regression' && reading.verdict !== 'improvement') return { reading };
  // Paired turn by turn, both sides ran under the same clock history: what the clock did cancels
  // in the ratio. A kernel that draws more power and so runs at a lower clock is slower for real.
  if (e.time.paired) return { reading };
  const compared = compareCycles(entry, measurement, e.time);
  if (!compared) return { reading };
  const extra = e.runToRun?.varianceLog ?? 0;
  const cycles = cyclesReport(compared.cycles, compared.clocks, extra);
  const [low, high] = ratioInterval(compared.cycles, 1 - level, extra);
  const holds = reading.verdict === 'regression'
    ? low > e.slower && compared.cycles.pSlower < level / 2
    : high < e.faster && compared.cycles.pFaster < level / 2;
  if (holds) return { reading, cycles };
  const clock = `clock ${Math.round(cycles.baselineClockMHz)} -> ${Math.round(cycles.currentClockMHz)} MHz`;
  // The clock explains the change only when the cycles moved much less than the time did. When
  // they moved as much, the change is the code's, but per-sample clock readings (a power-capped
  // card moves its clock within a sample) widened the cycles CI past the threshold: more samples.
  const clockExplains = Math.abs(compared.cycles.ratio - 1) < Math.abs(e.time.ratio - 1) / 2;
  const why = clockExplains
    ? `but ${signedPct(cycles.ratio)} in SM cycles (${clock}): the clock changed, not the code; re-run on a steady clock`
    : `and ${signedPct(cycles.ratio)} in SM cycles too (${clock}), but the cycles CI ${signedPct(low)}..${signedPct(high)} does not clear the threshold; re-run with more samples`;
  return { reading: { verdict: 'inconclusive', why }, cycles };
}

/**
 * Both sides ran the same machine code: A/A, so the verdict is unchanged whatever the numbers say.
 * When the data do show a change past a threshold, the reason says so in words and `drift` says
 * which way: slower, the machine drifted; faster, the entry was measured slow (the ratchet corrects it).
 */
function aaGuard(reading: Reading, identity: string, changePct: number): Reading {
  const code = `same machine code (${identity.slice(0, 18)})`;
  if (reading.verdict === 'regression') {
    return { verdict: 'unchanged', drift: 'slower', why: `A/A: ${code}, yet ${changePct.toFixed(1)}% slower past the threshold: the machine drifted, not the code` };
  }
  if (reading.verdict === 'improvement') {
    return { verdict: 'unchanged', drift: 'faster', why: `A/A: ${code}, yet ${(-changePct).toFixed(1)}% faster past the threshold: the baseline was measured slow, and is corrected` };
  }
  if (reading.verdict === 'inconclusive') return { verdict: 'unchanged', why: `A/A: ${code}, so no change of the code (the data alone: ${reading.why})` };
  return reading;
}

/**
 * Where the comparison cannot catch twice its threshold because sampling hit a cap (the stopping
 * rule aims at that): says how much it could catch and which cap came first.
 */
function capNote(sensitivity: Sensitivity, stopReason: Measurement['stopReason'], thresholds: Thresholds): string {
  if (sensitivity.rule === 'unconfirmable' || (stopReason !== 'time-budget' && stopReason !== 'max-samples')) return '';
  const aimPct = aimMultiple * thresholds.regressionPct;
  if (sensitivity.mdcPct !== null && sensitivity.mdcPct <= aimPct) return '';
  const could = sensitivity.mdcPct === null ? 'could catch no slowdown' : `could catch only +${sensitivity.mdcPct.toFixed(1)}% or more`;
  return `; ${could}: the ${stopReason === 'time-budget' ? 'time' : 'sample'} cap came before it could catch +${Number(aimPct.toFixed(2))}% (twice the threshold)`;
}

function notes(e: Evidence): string {
  const said: string[] = [];
  const { baseline, current } = e.time.estimates;
  const paired = e.time.paired;
  const correlated = paired ? [] : [baseline, current].filter((side) => side.autocorrelation >= materialAutocorrelation);
  if (paired) {
    // Each side's own correlation (the clock wandering) cancels turn by turn: only the turns' counts.
    const worth = paired.autocorrelation >= materialAutocorrelation ? `, lag-1 ${paired.autocorrelation.toFixed(2)}: count as ${Math.round(paired.effectiveTurns)}` : '';
    said.push(`paired turn by turn (${paired.turns} turns${worth})`);
  }
  if (correlated.length > 0) {
    const worst = correlated.reduce((a, b) => (b.autocorrelation > a.autocorrelation ? b : a));
    said.push(`samples correlated (lag-1 ${worst.autocorrelation.toFixed(2)}): ${worst.n} count as ${Math.round(worst.effectiveN)}`);
  }
  if (e.runToRun) {
    const source = e.runToRun.runs > 1 ? `from the entry's ${e.runToRun.runs} runs` : 'assumed: the entry holds one run';
    said.push(`run-to-run spread ${e.runToRun.pct.toFixed(1)}% included (${source})`);
  }
  return said.map((note) => `; ${note}`).join('');
}

/**
 * The verdict for one benchmark from its evidence, judged at a two-sided `level`; `crossRun`, how
 * a comparison across runs reaches a regression (absent, or paired turn by turn: the CI alone).
 */
export function decide(e: Evidence, measurement: Measurement, entry: BaselineEntry, thresholds: Thresholds, level: number, crossRun?: CrossRun): BenchmarkComparison {
  const extra = e.runToRun?.varianceLog ?? 0;
  const decisionCi = ratioInterval(e.time, 1 - level, extra);
  const rule = crossRun && !e.time.paired ? crossRun : null;
  const reading = read(e, decisionCi, level, thresholds);
  const ruled = rule?.rule === 'unconfirmable' ? unconfirmableReading(e, decisionCi, reading, thresholds, rule.why) : reading;
  const guarded = cyclesGuard(e, ruled, measurement, entry, level);
  const aa = Boolean(measurement.kernelIdentity && entry.kernelIdentity && measurement.kernelIdentity === entry.kernelIdentity);
  const final = aa ? aaGuard(guarded.reading, measurement.kernelIdentity!, e.time.changePct) : guarded.reading;
  const { ratio, changePct, pValue, baseline, current, estimates, paired } = e.time;
  const sensitivity = sensitivityOf(e, level, rule?.rule ?? 'interval');
  const direction = ratio >= 1 ? `${changePct.toFixed(1)}% slower` : `${(-changePct).toFixed(1)}% faster`;
  const interval = `${confidenceText(level)} CI ${signedPct(decisionCi[0])}..${signedPct(decisionCi[1])}`;
  return {
    id: measurement.id,
    verdict: final.verdict,
    baseline,
    current,
    ratio,
    ratioCi95: ratioInterval(e.time, 0.95, extra),
    changePct,
    pValue,
    reason: `${direction} (${interval}), ${pText(pValue, level)}, ${final.why}${notes(e)}${capNote(sensitivity, measurement.stopReason, thresholds)}`,
    tflops: measurement.tflops,
    gbps: measurement.gbps,
    roof: measurement.roof,
    variant: measurement.variant,
    ...(guarded.cycles ? { cycles: guarded.cycles } : {}),
    ...(measurement.kernelIdentity && entry.kernelIdentity ? { aa } : {}),
    level,
    decisionCi,
    autocorrelation: { baseline: estimates.baseline.autocorrelation, current: estimates.current.autocorrelation },
    effectiveN: { baseline: estimates.baseline.effectiveN, current: estimates.current.effectiveN },
    ...(paired ? { paired } : {}),
    ...(e.runToRun ? { runToRun: { pct: e.runToRun.pct, runs: e.runToRun.runs } } : {}),
    ...(final.drift ? { drift: final.drift } : {}),
    sensitivity,
  };
}

/**
 * The verdict for one benchmark measured against its baseline entry, judged alone at `level`
 * (default alpha). compare() judges a whole run, with the suite-wide control.
 */
export function judgeBenchmark(measurement: Measurement, entry: BaselineEntry, thresholds: Thresholds, level = thresholds.alpha): BenchmarkComparison {
  return decide(weigh(measurement, entry, thresholds), measurement, entry, thresholds, level);
}
