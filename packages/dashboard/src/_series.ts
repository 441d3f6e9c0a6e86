// The columns of one device's series, filled a record at a time and put in time order at the
// end (site-data.ts). Internal: the shapes here never leave the package.
import type { MoveEvent, RunRecord, RunRecordBenchmark } from '@ratchet/types';
import type { SiteBenchmark, SiteDevice } from './site-data.js';

/** What the latest valid point says about a benchmark (roof, rate, variant, fraction). */
interface Latest {
  t: number;
  roof: RunRecordBenchmark['roof'];
  rate: number | null;
  variant: string;
  roofFraction: number | null;
  medianMs: number;
}

interface Series {
  id: string;
  kernel: string;
  dtype: string | null;
  run: number[];
  medianMs: number[];
  ciBelow: number[];
  ciAbove: number[];
  roofFraction: (number | null)[];
  /** Per point, an index into `identities`: strings are kept once per series, not once per run. */
  identity: number[];
  identities: Map<string | null, number>;
  latest: Latest | null;
  verdict: { t: number; verdict: string | null } | null;
  peers: Map<string, { t: number; medianMs: number }>;
}

export interface DeviceColumns {
  key: string;
  name: { t: number; value: string };
  runs: SiteDevice['runs'];
  series: Map<string, Series>;
}

export function newDevice(key: string): DeviceColumns {
  return { key, name: { t: -Infinity, value: key }, runs: { t: [], commit: [], dirty: [] }, series: new Map() };
}

function newSeries(entry: RunRecordBenchmark): Series {
  return {
    id: entry.id, kernel: entry.kernel, dtype: entry.dtype, run: [], medianMs: [], ciBelow: [], ciAbove: [], roofFraction: [], identity: [],
    identities: new Map(), latest: null, verdict: null, peers: new Map(),
  };
}

function addPoint(series: Series, entry: RunRecordBenchmark, runIndex: number, t: number): void {
  if (!series.verdict || t >= series.verdict.t) series.verdict = { t, verdict: entry.verdict ?? null };
  // for-in, not Object.entries: this runs once per benchmark per run, half a million times.
  for (const name in entry.peers) {
    if ((series.peers.get(name)?.t ?? -Infinity) <= t) series.peers.set(name, { t, medianMs: entry.peers[name]!.medianMs });
  }
  if (entry.medianMs === null || (entry.ci95MedianMs === null && entry.statistic === undefined)) return;
  const median = entry.medianMs;
  // An imported figure with no CI (its harness kept statistics or one number): drawn with no band, not an invented one.
  const [low, high] = entry.ci95MedianMs ?? [median, median];
  let identity = series.identities.get(entry.kernelIdentity);
  if (identity === undefined) series.identities.set(entry.kernelIdentity, (identity = series.identities.size));
  series.run.push(runIndex);
  series.medianMs.push(median);
  series.ciBelow.push(Math.max(0, Math.ceil(((median - low) / median) * 1e4)));
  series.ciAbove.push(Math.max(0, Math.ceil(((high - median) / median) * 1e4)));
  series.roofFraction.push(entry.roofFraction);
  series.identity.push(identity);
  if (!series.latest || t >= series.latest.t) {
    const rate = entry.roof === 'memory' ? entry.gbps : entry.tflops;
    series.latest = { t, roof: entry.roof, rate, variant: entry.variant, roofFraction: entry.roofFraction, medianMs: median };
  }
}

export function addRecord(device: DeviceColumns, record: RunRecord): void {
  const t = Date.parse(record.time);
  const runIndex = device.runs.t.length;
  device.runs.t.push(t);
  device.runs.commit.push(record.commit);
  device.runs.dirty.push(record.dirty);
  if (t >= device.name.t) device.name = { t, value: record.deviceName };
  for (const entry of record.benchmarks) {
    let series = device.series.get(entry.id);
    if (!series) device.series.set(entry.id, (series = newSeries(entry)));
    addPoint(series, entry, runIndex, t);
  }
}

/** Puts `runs` in time order (stable) and returns each old run index's new place. */
function sortRuns(runs: SiteDevice['runs']): number[] {
  const order = runs.t.map((_, i) => i).sort((a, b) => runs.t[a]! - runs.t[b]! || a - b);
  const place = new Array<number>(order.length);
  order.forEach((old, i) => (place[old] = i));
  for (const key of ['t', 'commit', 'dirty'] as const) (runs[key] as unknown[]) = order.map((old) => runs[key][old]);
  return place;
}

/** The series' points in the order of their (re-placed) runs. */
function sortPoints(series: Series, place: number[]): void {
  series.run = series.run.map((r) => place[r]!);
  if (series.run.every((r, i) => i === 0 || series.run[i - 1]! < r)) return;
  const order = series.run.map((_, i) => i).sort((a, b) => series.run[a]! - series.run[b]!);
  for (const key of ['run', 'medianMs', 'ciBelow', 'ciAbove', 'roofFraction', 'identity'] as const) {
    (series[key] as unknown[]) = order.map((i) => series[key][i]);
  }
}

/**
 * A series with a point in every run needs no run indexes, and one whose work per call never
 * changed (fraction x median the same everywhere) needs one number for its roof, not one per
 * point: the page's data is most of what it loads.
 */
function roofColumns(series: Series, runCount: number): Pick<SiteBenchmark, 'run' | 'roofFraction' | 'roofMs'> {
  const run = series.run.length === runCount ? null : series.run;
  const fractions = series.roofFraction;
  const n = fractions.length;
  const k = n > 0 && fractions[n - 1] !== null ? fractions[n - 1]! * series.medianMs[n - 1]! : null;
  // Both factors carry six significant digits: products agree to about 1e-5 when the work is the same.
  const constant = k !== null && fractions.every((f, i) => f !== null && Math.abs(f * series.medianMs[i]! - k) <= 2e-5 * k);
  return constant ? { run, roofFraction: null, roofMs: Number(k!.toPrecision(6)) } : { run, roofFraction: fractions, roofMs: null };
}

function finishSeries(series: Series, runCount: number, events: SiteBenchmark['baseline']): SiteBenchmark {
  const n = series.medianMs.length;
  const latest = series.latest;
  const codeChanged = series.identity.flatMap((id, i) => (i > 0 && id !== series.identity[i - 1] ? [i] : []));
  return {
    id: series.id, kernel: series.kernel, dtype: series.dtype, roof: latest?.roof ?? null, rate: latest?.rate ?? null, variant: latest?.variant ?? null,
    ...roofColumns(series, runCount), medianMs: series.medianMs, ciBelow: series.ciBelow, ciAbove: series.ciAbove, codeChanged,
    baseline: events,
    // A peer's fraction of our roof: the same work in its time instead of ours.
    peers: [...series.peers].map(([name, { medianMs }]) => ({
      name, medianMs, roofFraction: latest?.roofFraction != null ? (latest.roofFraction * latest.medianMs) / medianMs : null,
    })),
    latest: {
      changePct: n >= 2 ? Number(((series.medianMs[n - 1]! / series.medianMs[n - 2]! - 1) * 100).toFixed(2)) : null,
      verdict: series.verdict?.verdict ?? null,
    },
  };
}

export function finishDevice(device: DeviceColumns, events: readonly MoveEvent[]): SiteDevice {
  const place = sortRuns(device.runs);
  const moves = new Map<string, SiteBenchmark['baseline']>();
  for (const e of events) {
    if (e.deviceKey !== device.key || !device.series.has(e.benchmarkId)) continue;
    const list = moves.get(e.benchmarkId) ?? [];
    list.push({ t: Date.parse(e.time), kind: e.event, fromMs: e.fromMedianMs, toMs: e.toMedianMs, sha: e.sha, reason: e.reason ?? null });
    moves.set(e.benchmarkId, list);
  }
  const benchmarks = [...device.series.values()]
    .map((series) => {
      sortPoints(series, place);
      return finishSeries(series, device.runs.t.length, (moves.get(series.id) ?? []).sort((a, b) => a.t - b.t));
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { key: device.key, name: device.name.value, runs: device.runs, benchmarks };
}
