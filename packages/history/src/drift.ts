// Drift on main (issue 26): every run on main is judged against the committed baseline, but a
// slowdown that lands in steps below the threshold, or one the baseline's figures were too noisy
// to call, can pass run after run. This looks at the series of each benchmark's medians in the run
// history instead, per device. The rule (drift.test.ts measures it against PyTorch HUD's "two
// consecutive points past 15%"):
//
//   reference  the (up to) 10 runs before the last two, after the benchmark's last accepted figure;
//   spread     the robust sd on the log scale (1.4826 x MAD) of the window's runs before the last
//              two (up to 28), at least the run-to-run prior (1%);
//   margin     the larger of the regression threshold (3%) and 3 spreads;
//   regression the last two runs both slower than the reference's median by more than the margin;
//   suspicious only the latest run past it (one run proves little), or the last two past it
//              against the first 10 runs of the window (a creep the moving reference followed);
//   too little fewer than 5 runs with a median (2 to judge, 3 to measure a spread against).
//
// Measured on simulated series of 30 runs (drift.test.ts): at most 1 false alarm in 1,000 checks
// of steady series at 0.5-8% run-to-run spread, a 5% step under a 1% spread caught 8 times in 10
// two runs after it and 19 in 20 by the fourth, a 10% step every time. HUD's fixed 15% caught
// neither step, and fired in 2 of 1,000 checks of the kernel whose runs scatter 8%.
import type { MoveEvent, RunRecord } from '@ratchet/types';

export interface DriftOptions {
  /** Cross-run regression threshold, percent (thresholds.regressionPct). */
  regressionPct: number;
  /** The run-to-run spread assumed where the runs show less, percent (thresholds.runToRunPct). */
  runToRunPct: number;
  /** The baseline's moves log: a benchmark's series starts after its last `accept` (a slower figure taken on purpose). */
  accepted?: readonly MoveEvent[];
}

/** Runs judged together, and runs the reference is made of. */
export const driftRecent = 2;
export const driftReference = 10;
/** Runs of main looked at, the creep's reference being the first driftReference of them. */
export const driftWindow = 30;
/** Fewest runs with a median a verdict needs: the recent ones and three to measure a spread. */
export const driftMinRuns = driftRecent + 3;
/** Spreads a run-to-run move must pass (a steady series: about 1 in 740 runs past it, one-sided). */
export const driftSpreads = 3;

/** One run of a benchmark on main: where it ran and the median it took. */
export interface DriftPoint {
  commit: string | null;
  time: string;
  medianMs: number;
}

export interface DriftFinding {
  id: string;
  kind: 'regression' | 'suspicious' | 'too-little-data';
  /** One line: what was seen, against what. */
  why: string;
  /** The reference's median, ms; null with too little data. */
  levelMs: number | null;
  /** The latest runs judged, oldest first. */
  recent: DriftPoint[];
  /** Latest median over the reference's, percent. */
  changePct: number | null;
  /** The margin judged at, percent. */
  marginPct: number | null;
  /** The last run before the move (the reference's last): the commit to compare against. */
  lastGood: DriftPoint | null;
  /** Runs of the benchmark looked at. */
  runs: number;
}

export interface DeviceDrift {
  deviceKey: string;
  deviceName: string;
  /** The latest run on main of this device. */
  latest: { commit: string | null; time: string };
  runs: number;
  findings: DriftFinding[];
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const pct = (log: number) => (Math.exp(log) - 1) * 100;

/** Robust sd of log medians (1.4826 x MAD), floored at the prior. */
function spreadOf(logs: readonly number[], priorPct: number): number {
  const centre = median(logs);
  const mad = median(logs.map((value) => Math.abs(value - centre)));
  return Math.max(1.4826 * mad, Math.log(1 + priorPct / 100));
}

/** The series of one benchmark on one device: main's runs with a median, after its last accepted figure, the last driftWindow of them. */
function seriesOf(records: readonly RunRecord[], id: string, acceptedAt: string | null): DriftPoint[] {
  const points: DriftPoint[] = [];
  for (const record of records) {
    if (acceptedAt !== null && record.time <= acceptedAt) continue;
    const benchmark = record.benchmarks.find((b) => b.id === id);
    if (benchmark?.medianMs) points.push({ commit: record.commit, time: record.time, medianMs: benchmark.medianMs });
  }
  return points.slice(-driftWindow);
}

/** One benchmark's series judged: a finding, or null when it holds its level. */
export function judgeSeries(id: string, series: readonly DriftPoint[], options: DriftOptions): DriftFinding | null {
  const base = { id, runs: series.length };
  if (series.length < driftMinRuns) {
    return { ...base, kind: 'too-little-data', why: `${series.length} run${series.length === 1 ? '' : 's'} on main with a median; a drift check needs ${driftMinRuns}`, levelMs: null, recent: [...series], changePct: null, marginPct: null, lastGood: null };
  }
  const logs = series.map((point) => Math.log(point.medianMs));
  const recent = logs.slice(-driftRecent);
  const referenceLogs = logs.slice(-driftRecent - driftReference, -driftRecent);
  const level = median(referenceLogs);
  // The spread from every run of the window before the recent ones: ten alone gave it too small
  // one time in a few hundred, and a false alarm with it.
  const margin = Math.max(Math.log(1 + options.regressionPct / 100), driftSpreads * spreadOf(logs.slice(0, -driftRecent), options.runToRunPct));
  const past = recent.map((value) => value - level > margin);
  const common = {
    ...base, levelMs: Math.exp(level), recent: series.slice(-driftRecent), changePct: pct(recent.at(-1)! - level), marginPct: pct(margin),
    lastGood: series[series.length - driftRecent - 1]!,
  };
  const margins = `${pct(margin).toFixed(1)}% (the larger of ${options.regressionPct}% and ${driftSpreads} run-to-run spreads)`;
  if (past.every(Boolean)) return { ...common, kind: 'regression', why: `the last ${driftRecent} runs slower than the median of the ${referenceLogs.length} before them by more than ${margins}` };
  if (past.at(-1)) return { ...common, kind: 'suspicious', why: `the latest run slower than the median of the ${referenceLogs.length} before it by more than ${margins}; the one before was not` };
  // A creep: each step inside the margin, the whole past it since the start of the window.
  const firstLogs = logs.slice(0, driftReference);
  if (logs.length >= driftRecent + 2 * driftReference) {
    const oldLevel = median(firstLogs);
    const oldMargin = Math.max(Math.log(1 + options.regressionPct / 100), driftSpreads * spreadOf(firstLogs, options.runToRunPct));
    if (recent.every((value) => value - oldLevel > oldMargin)) {
      return {
        ...common, kind: 'suspicious', levelMs: Math.exp(oldLevel), changePct: pct(recent.at(-1)! - oldLevel), marginPct: pct(oldMargin), lastGood: series[driftReference - 1]!,
        why: `a creep: the last ${driftRecent} runs slower than the first ${driftReference} of the last ${series.length} by more than ${pct(oldMargin).toFixed(1)}%, in steps each inside the margin`,
      };
    }
  }
  return null;
}

/**
 * Every device of the run history, each benchmark of its latest run judged over its series on
 * main; findings regressions first. Records are read oldest first (readRunHistory's order).
 */
export function detectDrift(records: readonly RunRecord[], options: DriftOptions): DeviceDrift[] {
  const byDevice = new Map<string, RunRecord[]>();
  for (const record of records) byDevice.set(record.deviceKey, [...(byDevice.get(record.deviceKey) ?? []), record]);
  const order = { regression: 0, suspicious: 1, 'too-little-data': 2 };
  return [...byDevice.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([deviceKey, runs]) => {
    const ordered = [...runs].sort((a, b) => a.time.localeCompare(b.time));
    const latest = ordered.at(-1)!;
    const acceptedAt = (id: string) => (options.accepted ?? []).filter((e) => e.deviceKey === deviceKey && e.benchmarkId === id && e.event === 'accept').map((e) => e.time).sort().at(-1) ?? null;
    const findings = latest.benchmarks
      .map((benchmark) => judgeSeries(benchmark.id, seriesOf(ordered, benchmark.id, acceptedAt(benchmark.id)), options))
      .filter((finding): finding is DriftFinding => finding !== null)
      .sort((a, b) => order[a.kind] - order[b.kind] || a.id.localeCompare(b.id));
    return { deviceKey, deviceName: latest.deviceName, latest: { commit: latest.commit, time: latest.time }, runs: ordered.length, findings };
  });
}
