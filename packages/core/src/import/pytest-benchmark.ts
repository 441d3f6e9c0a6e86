// pytest-benchmark's JSON (`--benchmark-json=<file>`, or a file `--benchmark-save` wrote under
// .benchmarks/): machine_info, the version, and per test its stats in seconds. `stats.data` holds
// every round's time per iteration when the file has it (--benchmark-json always; a saved file
// with --benchmark-save-data): then the samples are read; otherwise the median and quartiles over
// the rounds (robust to the long tail Python timings have, which a mean and deviation are not).
import type { ReportedStatistics } from '@ratchet/types';
import { benchmarkFrom, importedDevice, importError, positiveTime, shown, type ImportedBenchmark, type ImportedFile } from './_shared.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function looksLikePytestBenchmark(value: unknown): boolean {
  return isObject(value) && isObject(value.machine_info) && Array.isArray(value.benchmarks);
}

/** `tests/test_kernels.py::test_sum[1000]` -> kernel `test_kernels.test_sum` (module stem and function, so two files' test_sum stay apart). */
function kernelOf(fullname: string, name: string): string {
  const [path, ...rest] = fullname.split('::');
  const stem = (path ?? '').split('/').pop()!.replace(/\.py$/, '');
  const func = (rest.join('.') || name).replace(/\[.*\]$/, '');
  return stem ? `${stem}.${func}` : func;
}

function paramsOf(test: Record<string, unknown>, name: string): [string, unknown][] {
  if (isObject(test.params)) return Object.entries(test.params);
  // A parametrized test whose params were not recorded: its id between the brackets.
  const id = /\[(.*)\]$/.exec(name)?.[1];
  return id === undefined ? [] : [['id', id]];
}

function figuresOf(stats: Record<string, unknown>, file: string, name: string): Pick<ImportedBenchmark, 'samplesMs' | 'reported'> {
  if (Array.isArray(stats.data) && stats.data.length > 0) {
    return { samplesMs: stats.data.map((seconds, i) => positiveTime(seconds, file, name, `stats.data[${i}]`) * 1e3) };
  }
  const median = positiveTime(stats.median, file, name, 'stats.median') * 1e3;
  const rounds = stats.rounds;
  if (typeof rounds !== 'number' || !Number.isSafeInteger(rounds) || rounds < 1) throw importError(file, `stats.rounds: expected a count of rounds but received ${shown(rounds ?? null)}`, name);
  if (typeof stats.q1 !== 'number' || typeof stats.q3 !== 'number') return { reported: { kind: 'single', valueMs: median, statistic: 'median', roundingMs: 0 } };
  const reported: ReportedStatistics = { kind: 'median-iqr', n: rounds, medianMs: median, p25Ms: positiveTime(stats.q1, file, name, 'stats.q1') * 1e3, p75Ms: positiveTime(stats.q3, file, name, 'stats.q3') * 1e3 };
  if (!(reported.p25Ms <= reported.medianMs && reported.medianMs <= reported.p75Ms)) throw importError(file, `stats: expected q1 <= median <= q3 but received ${stats.q1}, ${stats.median}, ${stats.q3}`, name);
  return { reported };
}

export function readPytestBenchmark(value: unknown, file: string): ImportedFile {
  if (!looksLikePytestBenchmark(value)) throw importError(file, 'not pytest-benchmark JSON: expected an object with machine_info and benchmarks (--benchmark-json=<file>, or a file --benchmark-save wrote)');
  const root = value as { machine_info: Record<string, unknown>; benchmarks: unknown[]; version?: unknown; datetime?: unknown };
  const benchmarks: ImportedBenchmark[] = root.benchmarks.map((test, index) => {
    if (!isObject(test) || typeof test.name !== 'string' || !isObject(test.stats)) throw importError(file, `benchmarks[${index}]: expected a test with a name and stats`);
    const fullname = typeof test.fullname === 'string' ? test.fullname : test.name;
    return { harnessName: fullname, benchmark: benchmarkFrom(kernelOf(fullname, test.name), paramsOf(test, test.name)), ...figuresOf(test.stats, file, fullname) };
  });
  const cpu = isObject(root.machine_info.cpu) ? root.machine_info.cpu : {};
  // py-cpuinfo's brand_raw (pytest-benchmark 3.4+), `brand` before it; else the machine's architecture.
  const brand = [cpu.brand_raw, cpu.brand, root.machine_info.processor, root.machine_info.machine].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  const device = importedDevice('pytest-benchmark', { backend: 'cpu', name: brand ?? 'unknown CPU', multiprocessorCount: typeof cpu.count === 'number' ? cpu.count : 0 });
  const python = typeof root.machine_info.python_version === 'string' ? `, Python ${root.machine_info.python_version}` : '';
  const date = typeof root.datetime === 'string' && !Number.isNaN(Date.parse(root.datetime)) ? new Date(root.datetime).toISOString() : null;
  return {
    harness: 'pytest-benchmark', harnessVersion: typeof root.version === 'string' ? `${root.version}${python}` : null, device,
    timing: { clock: 'steady-clock', warmup: 0, l2Flush: false, launchesPerSample: 1 }, createdAt: date, benchmarks,
  };
}
