// What every reader of another harness's output shares: names made into benchmark ids, units made
// into milliseconds, one message per refusal naming the file and the benchmark, and the RunResult
// the rest of Ratchet judges like any other.
import {
  RatchetError,
  idSegmentPattern,
  paramNamePattern,
  runResultSchemaVersion,
  type Benchmark,
  type Device,
  type ImportFormat,
  type Measurement,
  type ParamValue,
  type ReportedStatistics,
  type RunResult,
  type TimingMethod,
} from '@ratchet/types';
import { measurementRecord } from '../measurement-record.js';

/** One benchmark as a reader found it: its name in the harness's terms, its id's parts, and samples or statistics (ms). */
export interface ImportedBenchmark {
  harnessName: string;
  benchmark: Benchmark;
  samplesMs?: number[];
  reported?: ReportedStatistics;
  /** The harness says the benchmark failed (Google Benchmark's error_occurred): not timed. */
  failed?: string;
}

/** What a reader makes of one file. */
export interface ImportedFile {
  harness: string;
  harnessVersion: string | null;
  /** The device the harness reported; null when its output names none (then --device must). */
  device: Device | null;
  timing: TimingMethod;
  /** When the harness ran, ISO 8601, where its output says; else null. */
  createdAt: string | null;
  benchmarks: ImportedBenchmark[];
}

/** What a reader may be told beyond the file itself. */
export interface ImportOptions {
  /** A unit for a format whose files carry none (Triton's perf_report CSV). */
  unit?: string;
  /** Which device's results to read where a file holds several (nvbench), or the device's name where it names none. */
  device?: string;
}

/** A refusal of input: exit 2, naming the file (and the benchmark, where one is at fault). */
export function importError(file: string, message: string, benchmark?: string): RatchetError {
  const where = benchmark === undefined ? file : `${file}: benchmark ${JSON.stringify(benchmark)}`;
  return new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${where}: ${message}`, { file, ...(benchmark === undefined ? {} : { field: benchmark }) });
}

const msPerUnit: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3 };

/** Milliseconds per `unit` (ns, us, ms, s); null for anything else. */
export function unitToMs(unit: string): number | null {
  return msPerUnit[unit] ?? null;
}

export const timeUnits = 'ns, us, ms or s';

/** A value from a file as a message shows it: its JSON cut at 40 characters, never a crash on one nested too deep. */
export function shown(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  } catch {
    return 'a value nested too deep to show';
  }
}

/** A time the file gives as a number or a numeric string, checked positive and finite. */
export function positiveTime(value: unknown, file: string, benchmark: string, what: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
    throw importError(file, `${what}: expected a positive time but received ${shown(value)}`, benchmark);
  }
  return number;
}

/**
 * A name as a segment of an id: every run of characters an id may not hold (`<`, `:`, spaces...)
 * becomes one `_`, and `_` at either end goes. `BM_Copy<int>` -> `BM_Copy_int`.
 */
export function idSegment(name: string): string {
  const segment = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
  return segment.length > 0 && idSegmentPattern.test(segment) ? segment : 'x';
}

/** A parameter name from a harness's axis or argument name: letters and digits only, a letter first. */
export function paramName(name: string): string {
  const letters = name.replace(/[^A-Za-z0-9]+/g, '');
  const named = /^[A-Za-z]/.test(letters) ? letters : `p${letters}`;
  return paramNamePattern.test(named) ? named : 'p';
}

/** A parameter value as an id can hold it: integers and flags as they are, anything else (0.5 included) as a segment. */
export function paramValue(value: unknown): ParamValue {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'number') return idSegment(String(value));
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return idSegment(value);
  // A structure as a parameter (pytest's params can be anything): its JSON, unless it nests past what stringify takes.
  try {
    return idSegment(JSON.stringify(value) ?? String(value));
  } catch {
    return 'x';
  }
}

/** A benchmark from a kernel name and parameters in order (names made id-safe, later duplicates suffixed). */
export function benchmarkFrom(kernel: string, params: readonly (readonly [string, unknown])[]): Benchmark {
  const benchmark: Benchmark = { kernel: idSegment(kernel) };
  for (const [name, value] of params) {
    let key = paramName(name);
    for (let i = 2; key in benchmark; i += 1) key = `${paramName(name)}${i}`;
    benchmark[key] = paramValue(value);
  }
  return benchmark;
}

/**
 * A device a harness reports, under a key of its own harness (`nvbench/NVIDIA-H100-80GB-HBM3/sm90`):
 * figures another harness took are never judged against Ratchet's own, or each other's.
 */
export function importedDevice(format: ImportFormat, fields: Partial<Device> & Pick<Device, 'backend' | 'name'>, keyTail = ''): Device {
  const slug = fields.name.trim().replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';
  return {
    computeCapability: null, multiprocessorCount: 0, l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null,
    smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
    ...fields,
    deviceKey: `${format}/${slug}${keyTail}`,
  };
}

/** A device named on the command line (`--device`) for a format whose files name none. */
export function namedDevice(format: ImportFormat, name: string | undefined, backend: Device['backend'], file: string): Device {
  if (!name) throw importError(file, `the file names no device: say which it was measured on with --device "<name>" (e.g. --device "NVIDIA H100 80GB HBM3"), so its figures are never judged against another device's`);
  return importedDevice(format, { backend, name });
}

/**
 * The figures of one benchmark as a Measurement, made by core's one record builder (a source with
 * samples or statistics but no session): samples with their summary, or reported statistics;
 * correctness not checked by Ratchet; no work counted, so no roofline.
 */
export function importedMeasurement(found: ImportedBenchmark): Measurement {
  const common = { benchmark: found.benchmark, variant: 'default', work: null, harnessName: found.harnessName };
  if (found.failed !== undefined) {
    const failed = { passed: false, maxAbsError: 0, relError: 0, tolerance: 0, reference: 'the harness', detail: `the harness reported an error: ${found.failed}` };
    return measurementRecord({ ...common, correctness: failed, timed: null });
  }
  const samplesMs = found.samplesMs ?? [];
  const timed = { samples: { samplesMs }, stopReason: null, clockStart: null, clockEnd: null, ...(samplesMs.length === 0 ? { reported: found.reported! } : {}) };
  return measurementRecord({ ...common, correctness: null, timed });
}

/** Refuses two benchmarks of one id (two names the harness keeps apart that map to one id included). */
export function assertDistinct(measurements: readonly Measurement[], fileOf: (m: Measurement) => string): void {
  const seen = new Map<string, Measurement>();
  for (const m of measurements) {
    const first = seen.get(m.id);
    if (first) {
      const names = first.harnessName === m.harnessName ? `${JSON.stringify(m.harnessName)} twice` : `${JSON.stringify(first.harnessName)} and ${JSON.stringify(m.harnessName)}, which both become ${m.id}`;
      const elsewhere = fileOf(first) === fileOf(m) ? '' : ` (also in ${fileOf(first)})`;
      throw new RatchetError('ERR_RATCHET_DUPLICATE_BENCHMARK', `${fileOf(m)}: benchmark ${JSON.stringify(m.harnessName)}: appears more than once: ${names}${elsewhere}`, { file: fileOf(m), field: m.harnessName ?? m.id });
    }
    seen.set(m.id, m);
  }
}

/** Several files of one harness and device as one RunResult. */
export function runResultFrom(format: ImportFormat, files: readonly { path: string; read: ImportedFile }[], createdAt: string): RunResult {
  const [first] = files;
  if (!first) throw new RatchetError('ERR_RATCHET_USAGE', `--from ${format}: expected at least one file`);
  const device = first.read.device!;
  for (const other of files.slice(1)) {
    if (other.read.device!.deviceKey !== device.deviceKey) {
      throw importError(other.path, `measured on ${other.read.device!.name} (${other.read.device!.deviceKey}), not on ${device.name} as ${first.path} was: import one device's files at a time`);
    }
  }
  const measurements: Measurement[] = [];
  const fileOf = new Map<Measurement, string>();
  for (const { path, read } of files) {
    for (const found of read.benchmarks) {
      const m = importedMeasurement(found);
      fileOf.set(m, path);
      measurements.push(m);
    }
  }
  assertDistinct(measurements, (m) => fileOf.get(m)!);
  return {
    schemaVersion: runResultSchemaVersion,
    createdAt: first.read.createdAt ?? createdAt,
    git: null,
    device,
    timing: first.read.timing,
    measurements,
    imported: { format, harness: first.read.harness, harnessVersion: first.read.harnessVersion, files: files.map((f) => f.path) },
  };
}
