// Google Benchmark's JSON (`--benchmark_out=<file> --benchmark_out_format=json`, or
// `--benchmark_format=json`): a context (date, host, CPUs, library version where it writes one)
// and one entry per run. With `--benchmark_repetitions=N` each repetition is an `iteration` run
// (one sample: the time per iteration over its iterations) and the aggregates (mean, median,
// stddev, cv) follow; `--benchmark_report_aggregates_only` keeps the aggregates alone (then the
// mean and standard deviation over the repetitions are read); without repetitions, one number.
// The time read is the one the library sized the run by: real (wall or manual) time for a
// benchmark registered with UseRealTime/UseManualTime (its name ends /real_time or
// /manual_time), CPU time otherwise; each entry's time_unit says its unit.
import type { ReportedStatistics } from '@ratchet/types';
import { benchmarkFrom, importedDevice, importError, positiveTime, shown, timeUnits, unitToMs, type ImportedBenchmark, type ImportedFile } from './_shared.js';

interface Run {
  name: string;
  run_name?: string;
  run_type?: 'iteration' | 'aggregate';
  repetitions?: number;
  repetition_index?: number;
  iterations?: number;
  real_time?: number;
  cpu_time?: number;
  time_unit?: string;
  aggregate_name?: string;
  aggregate_unit?: string;
  error_occurred?: boolean;
  error_message?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function looksLikeGoogleBenchmark(value: unknown): boolean {
  return isObject(value) && isObject(value.context) && Array.isArray(value.benchmarks) && ('num_cpus' in value.context || 'host_name' in value.context);
}

/** The name a run's figures belong to: run_name (library 1.5+), else the name less an aggregate's suffix. */
function runNameOf(run: Run): string {
  if (typeof run.run_name === 'string') return run.run_name;
  return run.aggregate_name ? run.name.replace(new RegExp(`_${run.aggregate_name}$`), '') : run.name;
}

/** The time the library sized the run by, in ms. */
function timeOf(run: Run, name: string, file: string): number {
  if (typeof run.time_unit !== 'string') throw importError(file, 'no time_unit: expected ns, us, ms or s beside its times (a time without a unit is not read)', name);
  const perUnit = unitToMs(run.time_unit);
  if (perUnit === null) throw importError(file, `time_unit: expected ${timeUnits} but received ${shown(run.time_unit)}`, name);
  const real = /\/(real|manual)_time(\/|$)/.test(name);
  const field = real ? 'real_time' : 'cpu_time';
  return positiveTime(run[field], file, name, field) * perUnit;
}

/** A benchmark's runs as samples (repetitions), statistics (aggregates only) or one number. */
function figuresOf(name: string, runs: Run[], file: string): Pick<ImportedBenchmark, 'samplesMs' | 'reported' | 'failed'> {
  const failed = runs.find((run) => run.error_occurred);
  if (failed) return { failed: failed.error_message ?? 'error_occurred' };
  const iterations = runs.filter((run) => (run.run_type ?? (run.aggregate_name ? 'aggregate' : 'iteration')) === 'iteration');
  if (iterations.length > 1) {
    const seen = new Set<number>();
    for (const run of iterations) {
      const index = run.repetition_index ?? -1;
      if (index >= 0 && seen.has(index)) throw importError(file, `repetition ${index} appears twice`, name);
      seen.add(index);
    }
    return { samplesMs: iterations.map((run) => timeOf(run, name, file)) };
  }
  if (iterations.length === 1) {
    const [run] = iterations;
    const statistic = `mean over ${run!.iterations ?? 'its'} iterations`;
    return { reported: { kind: 'single', valueMs: timeOf(run!, name, file), statistic, roundingMs: 0 } };
  }
  const aggregate = (kind: string) => runs.find((run) => run.aggregate_name === kind && (run.aggregate_unit ?? 'time') === 'time');
  const mean = aggregate('mean');
  if (!mean) throw importError(file, 'neither repetitions nor a mean: nothing to read a time from', name);
  const stddev = aggregate('stddev');
  const n = mean.repetitions;
  const meanMs = timeOf(mean, name, file);
  if (!stddev || typeof n !== 'number' || n < 1) return { reported: { kind: 'single', valueMs: meanMs, statistic: 'mean', roundingMs: 0 } };
  // A standard deviation of 0 (every repetition the same) is a time of 0, not a missing one.
  const sdMs = Number(stddev[/\/(real|manual)_time(\/|$)/.test(name) ? 'real_time' : 'cpu_time']) * unitToMs(stddev.time_unit ?? '')!;
  if (!Number.isFinite(sdMs) || sdMs < 0) throw importError(file, `stddev: expected a non-negative time but received ${shown(stddev.cpu_time)}`, name);
  const reported: ReportedStatistics = { kind: 'mean-std', n, meanMs, stdMs: sdMs };
  return { reported };
}

/**
 * `BM_Copy<int>/bytes:4194304/real_time` -> kernel `BM_Copy_int`, then each part after a `/` a
 * parameter (`arg1`, `arg2`, ...) whose value is the part made id-safe: `BM_Copy_int/bytes_4194304/real_time`.
 */
function benchmarkOf(name: string) {
  const [family, ...args] = name.split('/');
  return benchmarkFrom(family!, args.map((arg, i) => [`arg${i + 1}`, arg] as const));
}

export function readGoogleBenchmark(value: unknown, file: string): ImportedFile {
  if (!looksLikeGoogleBenchmark(value)) throw importError(file, 'not Google Benchmark JSON: expected an object with context and benchmarks (--benchmark_out=<file> --benchmark_out_format=json)');
  const root = value as { context: Record<string, unknown>; benchmarks: unknown[] };
  const byName = new Map<string, Run[]>();
  for (const [index, run] of root.benchmarks.entries()) {
    if (!isObject(run) || typeof run.name !== 'string') throw importError(file, `benchmarks[${index}]: expected a run with a name`);
    const name = runNameOf(run as unknown as Run);
    let runs = byName.get(name);
    if (!runs) byName.set(name, (runs = []));
    runs.push(run as unknown as Run);
  }
  const benchmarks: ImportedBenchmark[] = [];
  for (const [name, runs] of byName) benchmarks.push({ harnessName: name, benchmark: benchmarkOf(name), ...figuresOf(name, runs, file) });
  const context = root.context;
  const cpus = typeof context.num_cpus === 'number' ? context.num_cpus : 0;
  const mhz = typeof context.mhz_per_cpu === 'number' ? context.mhz_per_cpu : null;
  // The machine as the library describes it; the host name stays out of the key, so runs on
  // runners of one kind share a baseline.
  const shape = `${cpus} CPUs${mhz === null ? '' : ` at ${mhz} MHz`}`;
  const host = typeof context.host_name === 'string' ? ` (host ${context.host_name})` : '';
  const device = { ...importedDevice('google-benchmark', { backend: 'cpu', name: shape, multiprocessorCount: cpus, smClockMHz: mhz }), name: `${shape}${host}` };
  const version = typeof context.library_version === 'string' ? context.library_version : null;
  const date = typeof context.date === 'string' && !Number.isNaN(Date.parse(context.date)) ? new Date(context.date).toISOString() : null;
  return { harness: 'google-benchmark', harnessVersion: version, device, timing: { clock: 'steady-clock', warmup: 0, l2Flush: false, launchesPerSample: 1 }, createdAt: date, benchmarks };
}
