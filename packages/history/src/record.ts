import {
  RatchetError,
  reportedCentralMs,
  reportedCentralName,
  runRecordSchemaVersion,
  type Comparison,
  type Measurement,
  type RunRecord,
  type RunRecordBenchmark,
  type RunRecordPeer,
  type RunResult,
  type SotaTable,
} from '@ratchet/types';

/**
 * Six significant digits: far finer than any CI the harness reaches (0.5% at best), and it keeps
 * a record to a few hundred bytes per benchmark instead of the 17 digits JSON would print.
 */
export function compact(value: number): number {
  return Number(value.toPrecision(6));
}

const compactOrNull = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : compact(value));

/**
 * `<arch>:<sha256>` cut to its first 16 hex digits: 64 bits tell one build from the next as
 * surely as 256 in a history of thousands of runs, and the full hash was a fifth of each entry.
 */
export function shortIdentity(identity: string | null | undefined): string | null {
  if (!identity) return null;
  const match = /^(.*:)([0-9a-f]{16})[0-9a-f]{48}$/.exec(identity);
  return match ? `${match[1]}${match[2]}` : identity;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function smClock(measurement: Measurement): number | null {
  const mhz = median(measurement.samplesClockMHz ?? []) ?? measurement.clockStart?.smClockMHz ?? null;
  return mhz !== null && mhz > 0 ? compact(mhz) : null;
}

/** The benchmark's `dtype` parameter, if it has one: parameters are otherwise opaque here. */
function dtypeOf(measurement: Measurement): string | null {
  const dtype = (measurement.benchmark as unknown as Record<string, unknown>).dtype;
  return typeof dtype === 'string' ? dtype : null;
}

function peersOf(table: SotaTable | null | undefined, id: string): Record<string, RunRecordPeer> | undefined {
  const row = table?.rows.find((r) => r.id === id);
  if (!row) return undefined;
  const peers: Record<string, RunRecordPeer> = {};
  for (const [name, cell] of Object.entries(row.peers)) {
    if (cell.status !== 'ok') continue;
    peers[name] = { medianMs: compact(cell.medianMs), ci95MedianMs: [compact(cell.ci95MedianMs[0]), compact(cell.ci95MedianMs[1])] };
  }
  return Object.keys(peers).length > 0 ? peers : undefined;
}

/** An imported measurement's reported figure (no samples): the median, mean or number its harness kept, and which. */
function reportedFigure(measurement: Measurement): Pick<RunRecordBenchmark, 'medianMs' | 'n' | 'statistic'> | null {
  const stats = measurement.status === 'ok' ? measurement.reported : undefined;
  if (!stats) return null;
  return { medianMs: compact(reportedCentralMs(stats)), n: stats.kind === 'single' ? 1 : stats.n, statistic: reportedCentralName(stats) };
}

function benchmarkRecord(measurement: Measurement, comparison: Comparison | null, sota: SotaTable | null): RunRecordBenchmark {
  const summary = measurement.status === 'ok' ? measurement.summary : null;
  const reported = reportedFigure(measurement);
  const entry: RunRecordBenchmark = {
    id: measurement.id,
    kernel: measurement.benchmark.kernel,
    dtype: dtypeOf(measurement),
    status: measurement.status,
    variant: measurement.variant,
    kernelIdentity: shortIdentity(measurement.kernelIdentity),
    medianMs: compactOrNull(summary?.median),
    ci95MedianMs: summary ? [compact(summary.ci95Median[0]), compact(summary.ci95Median[1])] : null,
    n: summary?.n ?? 0,
    smClockMHz: summary ? smClock(measurement) : null,
    tflops: summary ? compactOrNull(measurement.tflops) : null,
    gbps: summary ? compactOrNull(measurement.gbps) : null,
    roof: measurement.roof,
    roofFraction: summary ? compactOrNull(measurement.roofFraction) : null,
    ...(reported ?? {}),
  };
  const judged = comparison?.results.find((r) => r.id === measurement.id);
  if (judged) {
    entry.verdict = judged.verdict;
    entry.changePct = compactOrNull(judged.changePct);
  }
  const peers = peersOf(sota, measurement.id);
  if (peers) entry.peers = peers;
  return entry;
}

export interface RecordOptions {
  /** The project the run belongs to (projectOf(cwd)); null when unknown. */
  project?: string | null;
  /** Peers measured in the same session (`run --peers`). */
  sota?: SotaTable | null;
}

/**
 * The history record of one run: per benchmark the median and its CI, n, variant, kernel
 * identity, SM clock, work rate and fraction of the roof; with the verdicts when `comparison`
 * judged this run. No samples. Pure.
 */
export function historyRecordFor(result: RunResult, comparison?: Comparison | null, options: RecordOptions = {}): RunRecord {
  for (const other of [comparison, options.sota]) {
    if (other && (other.device.deviceKey !== result.device.deviceKey || other.createdAt !== result.createdAt)) {
      throw new RatchetError('ERR_RATCHET_INTERNAL', `historyRecordFor: a comparison or SOTA table of another run (${other.device.deviceKey} at ${other.createdAt}) was passed with the run of ${result.device.deviceKey} at ${result.createdAt}`);
    }
  }
  return {
    schemaVersion: runRecordSchemaVersion,
    project: options.project ?? null,
    time: result.createdAt,
    commit: result.git?.sha ?? null,
    branch: result.git?.branch ?? null,
    dirty: result.git?.dirty ?? false,
    deviceKey: result.device.deviceKey,
    deviceName: result.device.name,
    peakTflops: compactOrNull(result.device.peakTflops),
    peakGBps: compactOrNull(result.device.peakBandwidthGBps),
    timing: result.timing,
    benchmarks: result.measurements.map((m) => benchmarkRecord(m, comparison ?? null, options.sota ?? null)),
  };
}
