// Triton's `triton.testing.perf_report(...)` CSV: what `benchmark.run(save_path=dir)` writes to
// `<dir>/<plot_name>.csv` (triton/testing.py, Mark._run): the x_names columns, then one column per
// line_names entry holding the first value the benchmarked function returned for that point
// (do_bench's median, when it returns `do_bench(..., quantiles=[0.5, 0.2, 0.8])`), written by
// pandas: with float_format='%.1f' in older releases; Triton 3.6 writes six decimals and names each
// line's column `<line name> (<ylabel>)`. The unit is taken from --unit (a ylabel is free text) and
// the device from --device; each number may be off by half its last digit, which the threshold
// check counts. Which leading columns are x_names it cannot say
// either: the first column, and the columns after it equal to it in every row (perf_report's
// scalar x_vals over several x_names), unless --x-names lists them.
import { benchmarkFrom, importError, namedDevice, timeUnits, unitToMs, type ImportedBenchmark, type ImportedFile, type ImportOptions } from './_shared.js';

export interface TritonOptions extends ImportOptions {
  /** The x_names columns of the CSV, when the first column (and its copies) are not all of them. */
  xNames?: string[];
}

function parseCsv(text: string, file: string): string[][] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  // pandas quotes a field only when it holds a comma or a quote: line names such as "Torch (native)" do not.
  return rows.map((line, index) => {
    if (line.includes('"')) throw importError(file, `line ${index + 1}: a quoted field: expected the plain CSV perf_report writes`);
    return line.split(',');
  });
}

function xColumnsOf(header: string[], rows: string[][], options: TritonOptions, file: string): number {
  if (options.xNames) {
    const named = options.xNames;
    if (named.some((name, i) => header[i] !== name)) throw importError(file, `--x-names ${named.join(',')}: expected the first columns of the CSV, which are ${header.slice(0, named.length).join(',')}`);
    return named.length;
  }
  let count = 1;
  while (count < header.length - 1 && rows.every((row) => row[count] === row[0])) count += 1;
  return count;
}

/** A number written with `d` decimals is off by up to half of its last digit. */
function roundingOf(text: string): number {
  const decimals = /\.(\d+)$/.exec(text.trim())?.[1]?.length ?? 0;
  return 0.5 * 10 ** -decimals;
}

function xValue(text: string): string | number {
  const number = Number(text);
  return text.trim() !== '' && Number.isFinite(number) ? number : text;
}

export function readTriton(text: string, file: string, options: TritonOptions): ImportedFile {
  if (!options.unit) throw importError(file, `a perf_report CSV holds no unit (the plot's ylabel is not written to it): say what the benchmarked function returns with --unit (${timeUnits}; Ratchet compares times, so return do_bench's milliseconds, or microseconds, not GB/s)`);
  const perUnit = unitToMs(options.unit);
  if (perUnit === null) throw importError(file, `--unit ${JSON.stringify(options.unit)}: expected ${timeUnits}`);
  const [header, ...rows] = parseCsv(text, file);
  if (!header || header.length < 2 || rows.length === 0) throw importError(file, 'not a perf_report CSV: expected a header (x_names, then line_names) and at least one row');
  for (const [index, row] of rows.entries()) {
    if (row.length !== header.length) throw importError(file, `line ${index + 2}: ${row.length} fields where the header has ${header.length}: truncated?`);
  }
  const xCount = xColumnsOf(header, rows, options, file);
  const plot = file.split('/').pop()!.replace(/\.csv$/i, '');
  const benchmarks: ImportedBenchmark[] = [];
  for (const row of rows) {
    const x = header.slice(0, xCount).map((name, i) => [name, xValue(row[i]!)] as const);
    for (let column = xCount; column < header.length; column += 1) {
      const line = header[column]!;
      const cell = row[column]!.trim();
      const name = `${plot} ${line} ${x.map(([n, v]) => `${n}=${v}`).join(' ')}`;
      // An empty cell: perf_report had no figure there (the function returned nothing): not measured.
      if (cell === '') continue;
      const value = Number(cell);
      if (!Number.isFinite(value)) throw importError(file, `${JSON.stringify(cell)} is not a number`, name);
      if (value <= 0) throw importError(file, `${cell} ${options.unit}: not a time (perf_report's one decimal rounds times under 0.05 ${options.unit} to 0: use a smaller --unit in the benchmark)`, name);
      benchmarks.push({
        harnessName: name,
        benchmark: benchmarkFrom(plot, [['line', line], ...x]),
        reported: { kind: 'single', valueMs: value * perUnit, statistic: 'value perf_report wrote', roundingMs: roundingOf(cell) * perUnit },
      });
    }
  }
  return {
    harness: 'triton', harnessVersion: null, device: namedDevice('triton', options.device, 'cuda', file),
    timing: { clock: 'cuda-events', warmup: 0, l2Flush: true, launchesPerSample: 1 }, createdAt: null, benchmarks,
  };
}
