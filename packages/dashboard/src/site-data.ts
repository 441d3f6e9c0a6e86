import type { MoveEvent, RunRecord } from '@ratchet/types';
import { finishDevice, newDevice, addRecord } from './_series.js';

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
  /** Per point: its index into `runs`; null when the series has a point for every run, in order. */
  run: number[] | null;
  /** Per point: the median, ms. */
  medianMs: number[];
  /** Per point: how far the 95% CI of the median reaches below and above it, in 0.01% of it (rounded outwards). */
  ciBelow: number[];
  ciAbove: number[];
  /**
   * Fraction of the roof, per point; or, when the work per call never changed (fraction x median
   * the same at every point), that one product as `roofMs`, and `roofFraction` null: the page
   * takes roofMs / median. Both null: the device's peaks are unknown.
   */
  roofFraction: (number | null)[] | null;
  roofMs: number | null;
  /** Indexes of the points whose kernel identity differs from the point before: the code changed. */
  codeChanged: number[];
  /** Moves of the baseline (`.ratchet/history.jsonl`): new, improvement, accept (possibly slower). */
  baseline: { t: number; kind: MoveEvent['event']; fromMs: number | null; toMs: number; sha: string | null; reason: string | null }[];
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

/**
 * The site's data built a record at a time (`add`), so a caller scanning a large history keeps
 * columns of numbers, not half a million record objects. Records may come in any order.
 */
export function siteDataBuilder(events: readonly MoveEvent[], options: SiteOptions) {
  const devices = new Map<string, ReturnType<typeof newDevice>>();
  return {
    add(record: RunRecord): void {
      let device = devices.get(record.deviceKey);
      if (!device) devices.set(record.deviceKey, (device = newDevice(record.deviceKey)));
      addRecord(device, record);
    },
    finish(): SiteData {
      const built = [...devices.values()].map((device) => finishDevice(device, events));
      // The device measured most recently first: the tab a visitor most likely wants.
      built.sort((a, b) => b.runs.t.at(-1)! - a.runs.t.at(-1)!);
      return { ...options, devices: built };
    },
  };
}

/** The run history and the baseline's moves, per device and per benchmark, as the page draws them. Pure. */
export function buildSiteData(records: readonly RunRecord[], events: readonly MoveEvent[], options: SiteOptions): SiteData {
  const builder = siteDataBuilder(events, options);
  for (const record of records) builder.add(record);
  return builder.finish();
}
