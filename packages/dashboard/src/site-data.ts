import type { HistoryEvent, RunRecord, RunRecordBenchmark } from '@ratchet/types';

/**
 * What the page draws, embedded in `data.js`. Columnar (one array per field, not one object per
 * point) because a history of 1,000 benchmarks x 500 runs is half a million points: objects
 * would triple the bytes the browser parses before anything shows.
 */
export interface SiteData {
  generatedAt: string;
  project: string | null;
  /** Prefix of a commit's page (`https://github.com/o/r/commit/`); null: points link nowhere. */
  commitUrl: string | null;
  devices: SiteDevice[];
}

export interface SiteDevice {
  key: string;
  name: string;
  /** The runs on this device, oldest first: start time (ms since 1970), commit, uncommitted changes. */
  runs: { t: number[]; commit: (string | null)[]; dirty: boolean[] };
  benchmarks: SiteBenchmark[];
}

export interface SiteBenchmark {
  id: string;
  kernel: string;
  dtype: string | null;
  /** The roof that binds at the latest run; null when the device's peaks are unknown (y in ms). */
  roof: 'compute' | 'memory' | null;
  /** Work rate of the latest run in the unit of that roof: TFLOP/s (compute) or GB/s (memory). */
  rate: number | null;
  variant: string | null;
  /** Per point: index into `runs`, median and its 95% CI (ms), fraction of the roof (null: unknown). */
  run: number[];
  medianMs: number[];
  lowMs: number[];
  highMs: number[];
  roofFraction: (number | null)[];
  /** Indexes of the points whose kernel identity differs from the point before: the code changed. */
  codeChanged: number[];
  /** Moves of the baseline (`.ratchet/history.jsonl`): new, improvement, accept (possibly slower). */
  baseline: { t: number; kind: HistoryEvent['event']; fromMs: number | null; toMs: number; sha: string | null; reason: string | null }[];
  /** The latest figure of each peer measured with us, with its fraction of our roof. */
  peers: { name: string; medianMs: number; roofFraction: number | null }[];
  /** The last point against the one before it, percent (positive is slower); the run's verdict if judged. */
  latest: { changePct: number | null; verdict: string | null };
}

export interface SiteOptions {
  generatedAt: string;
  project: string | null;
  commitUrl: string | null;
}

interface Series {
  benchmark: SiteBenchmark;
  lastIdentity: string | null | undefined;
  lastVerdict: string | null;
  peers: Map<string, number>;
  lastRecord: RunRecordBenchmark | null;
}

function newSeries(entry: RunRecordBenchmark): Series {
  return {
    benchmark: {
      id: entry.id, kernel: entry.kernel, dtype: entry.dtype, roof: null, rate: null, variant: null,
      run: [], medianMs: [], lowMs: [], highMs: [], roofFraction: [], codeChanged: [], baseline: [], peers: [], latest: { changePct: null, verdict: null },
    },
    lastIdentity: undefined, lastVerdict: null, peers: new Map(), lastRecord: null,
  };
}

function addPoint(series: Series, entry: RunRecordBenchmark, runIndex: number): void {
  const b = series.benchmark;
  series.lastVerdict = entry.verdict ?? null;
  for (const [name, peer] of Object.entries(entry.peers ?? {})) series.peers.set(name, peer.medianMs);
  if (entry.medianMs === null || entry.ci95MedianMs === null) return;
  if (series.lastIdentity !== undefined && entry.kernelIdentity !== series.lastIdentity) b.codeChanged.push(b.run.length);
  series.lastIdentity = entry.kernelIdentity;
  series.lastRecord = entry;
  b.run.push(runIndex);
  b.medianMs.push(entry.medianMs);
  b.lowMs.push(entry.ci95MedianMs[0]);
  b.highMs.push(entry.ci95MedianMs[1]);
  b.roofFraction.push(entry.roofFraction);
}

function finish(series: Series): SiteBenchmark {
  const b = series.benchmark;
  const last = series.lastRecord;
  const n = b.medianMs.length;
  b.roof = last?.roof ?? null;
  b.rate = last ? (last.roof === 'memory' ? last.gbps : last.tflops) : null;
  b.variant = last?.variant ?? null;
  b.latest = { changePct: n >= 2 ? Number(((b.medianMs[n - 1]! / b.medianMs[n - 2]! - 1) * 100).toFixed(2)) : null, verdict: series.lastVerdict };
  // A peer's fraction of our roof: the same work in its time instead of ours.
  b.peers = [...series.peers].map(([name, medianMs]) => ({
    name, medianMs, roofFraction: last?.roofFraction != null && last.medianMs ? (last.roofFraction * last.medianMs) / medianMs : null,
  }));
  return b;
}

function deviceData(key: string, records: RunRecord[], events: readonly HistoryEvent[]): SiteDevice {
  const runs: SiteDevice['runs'] = { t: [], commit: [], dirty: [] };
  const series = new Map<string, Series>();
  records.forEach((record, runIndex) => {
    runs.t.push(Date.parse(record.time));
    runs.commit.push(record.commit);
    runs.dirty.push(record.dirty);
    for (const entry of record.benchmarks) {
      let s = series.get(entry.id);
      if (!s) series.set(entry.id, (s = newSeries(entry)));
      addPoint(s, entry, runIndex);
    }
  });
  for (const event of events) {
    if (event.deviceKey !== key) continue;
    series.get(event.benchmarkId)?.benchmark.baseline.push({
      t: Date.parse(event.time), kind: event.event, fromMs: event.fromMedianMs, toMs: event.toMedianMs, sha: event.sha, reason: event.reason ?? null,
    });
  }
  const benchmarks = [...series.values()].map(finish).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { key, name: records.at(-1)!.deviceName, runs, benchmarks };
}

/**
 * The run history (oldest first) and the baseline's moves, per device and per benchmark, as the
 * page draws them. Pure.
 */
export function buildSiteData(records: readonly RunRecord[], events: readonly HistoryEvent[], options: SiteOptions): SiteData {
  const byDevice = new Map<string, RunRecord[]>();
  for (const record of records) {
    const list = byDevice.get(record.deviceKey) ?? [];
    list.push(record);
    byDevice.set(record.deviceKey, list);
  }
  const devices = [...byDevice].map(([key, list]) => deviceData(key, list, events));
  // The device measured most recently first: the tab a visitor most likely wants.
  devices.sort((a, b) => b.runs.t.at(-1)! - a.runs.t.at(-1)!);
  return { ...options, devices };
}
