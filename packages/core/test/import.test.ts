// The readers of --from against files the real tools wrote (fixtures/harnesses/README.md says
// which tool, version and command made each one), judged by the same compare() as Ratchet's own
// runs: the slowed build is a regression, the base against itself is not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, ratchet } from '@ratchet/baseline';
import type { ImportFormat, RunResult, Thresholds } from '@ratchet/types';
import { describe, expect, it } from 'vitest';
import { readImport } from '../src/import/read-import.js';

const fixtures = fileURLToPath(new URL('./fixtures/harnesses', import.meta.url));
const at = (...parts: string[]) => join(fixtures, ...parts);
const thresholds: Thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05, runToRunPct: 1, newEntryMaxCvPct: 50 };

/** base stored as the baseline (a first ratchet run), then `head` judged against it. */
function judge(base: RunResult, head: RunResult) {
  const baseline = ratchet(null, base, compare(base, null, thresholds), { sha: null, time: base.createdAt }).baseline;
  return compare(head, baseline, thresholds);
}

function verdicts(base: RunResult, head: RunResult): Record<string, string> {
  return Object.fromEntries(judge(base, head).results.map((r) => [r.id, r.verdict]));
}

const read = (format: ImportFormat, file: string, options = {}) => readImport(format, [file], options);

describe('Google Benchmark JSON (Debian libbenchmark-dev 1.7.1)', () => {
  const dir = (file: string) => at('google-benchmark', file);

  it('maps names to ids, reads each repetition as a sample in its unit (CPU time: the time the library sized the runs by), and records the machine', () => {
    const result = read('google-benchmark', dir('base.json'));
    expect(result.measurements.map((m) => m.id)).toEqual(['BM_Sum/4096', 'BM_Sum/65536', 'BM_Copy_int/bytes_4194304', 'BM_Sort/256', 'BM_Sort/4096']);
    expect(result.measurements.map((m) => m.harnessName)).toContain('BM_Copy<int>/bytes:4194304');
    const raw = JSON.parse(readFileSync(dir('base.json'), 'utf8')).benchmarks.filter((b: { run_name: string; run_type: string }) => b.run_name === 'BM_Sum/4096' && b.run_type === 'iteration');
    const sum = result.measurements[0]!;
    // BM_Sum is timed in microseconds, BM_Sort in nanoseconds, BM_Copy in milliseconds: all ms here.
    expect(sum.samplesMs).toEqual(raw.map((b: { cpu_time: number }) => b.cpu_time * 1e-3));
    expect(raw[0].time_unit).toBe('us');
    expect(result.measurements.every((m) => m.samplesMs.length === 30 && m.correctness === null && !m.reported)).toBe(true);
    expect(result.imported).toEqual({ format: 'google-benchmark', harness: 'google-benchmark', harnessVersion: null, files: [dir('base.json')] });
    expect(result.device).toMatchObject({ backend: 'cpu', name: '2 CPUs at 2600 MHz (host vm)', deviceKey: 'google-benchmark/2-CPUs-at-2600-MHz' });
  });

  it('aggregates only: the mean and standard deviation over the repetitions; no repetitions: one number', () => {
    const aggregates = read('google-benchmark', dir('base-aggregates.json')).measurements[0]!;
    expect(aggregates.reported).toMatchObject({ kind: 'mean-std', n: 30 });
    expect(aggregates.samplesMs).toEqual([]);
    const single = read('google-benchmark', dir('base-single.json')).measurements[0]!;
    expect(single.reported).toMatchObject({ kind: 'single', roundingMs: 0 });
    expect((single.reported as { statistic: string }).statistic).toMatch(/^mean over \d+ iterations$/);
  });

  it.each([['base.json', 'slowed.json'], ['base-aggregates.json', 'slowed-aggregates.json'], ['base-single.json', 'slowed-single.json']])('%s: the build that does its work twice is a regression on every benchmark; the base against itself is not', (base, slowed) => {
    const before = read('google-benchmark', dir(base));
    expect(new Set(Object.values(verdicts(before, read('google-benchmark', dir(slowed)))))).toEqual(new Set(['regression']));
    expect(Object.values(verdicts(before, read('google-benchmark', dir(base)))).filter((v) => v === 'regression')).toEqual([]);
  });
});

describe('pytest-benchmark JSON (Debian python3-pytest-benchmark 3.2.2)', () => {
  const dir = (file: string) => at('pytest-benchmark', file);

  it('with the rounds\' data (--benchmark-json, --benchmark-save-data): samples in ms; ids from module, test and params', () => {
    const result = read('pytest-benchmark', dir('base.json'));
    expect(result.measurements.map((m) => m.id)).toEqual(['test_kernels.test_checksum/n1000', 'test_kernels.test_checksum/n10000', 'test_kernels.test_sort/int', 'test_kernels.test_sort/str']);
    const raw = JSON.parse(readFileSync(dir('base.json'), 'utf8')).benchmarks[0].stats;
    expect(result.measurements[0]!.samplesMs).toEqual(raw.data.map((s: number) => s * 1e3));
    expect(result.measurements[0]!.summary!.median).toBeCloseTo(raw.median * 1e3, 9);
    expect(result.imported!.harnessVersion).toBe('3.2.2, Python 3.11.2');
    expect(result.device).toMatchObject({ name: 'Intel(R) Xeon(R) Processor', deviceKey: 'pytest-benchmark/Intel-R-Xeon-R-Processor' });
    expect(read('pytest-benchmark', dir('saved-data-base.json')).measurements.every((m) => m.samplesMs.length > 0)).toBe(true);
  });

  it('without --benchmark-save-data: the median and quartiles over the rounds', () => {
    const m = read('pytest-benchmark', dir('saved-base.json')).measurements[0]!;
    const raw = JSON.parse(readFileSync(dir('saved-base.json'), 'utf8')).benchmarks[0].stats;
    expect(m.reported).toEqual({ kind: 'median-iqr', n: raw.rounds, medianMs: raw.median * 1e3, p25Ms: raw.q1 * 1e3, p75Ms: raw.q3 * 1e3 });
  });

  it.each([['base.json', 'slowed.json'], ['saved-base.json', 'saved-slowed.json'], ['saved-data-base.json', 'saved-data-slowed.json']])('%s: the code run twice over is a regression; the base against itself is not', (base, slowed) => {
    const before = read('pytest-benchmark', dir(base));
    expect(new Set(Object.values(verdicts(before, read('pytest-benchmark', dir(slowed)))))).toEqual(new Set(['regression']));
    expect(Object.values(verdicts(before, read('pytest-benchmark', dir(base)))).filter((v) => v === 'regression')).toEqual([]);
  });
});

describe('nvbench --json (nvbench\'s own python/scripts/test_ref.json and test_cmp.json), and --jsonbin (synthetic, labelled)', () => {
  it('chooses one device of a file that holds two, names each state by its axes, and reads mean, spread and count in seconds', () => {
    expect(() => read('nvbench', at('nvbench', 'axes-ref.json'))).toThrow(`${at('nvbench', 'axes-ref.json')}: holds results of 2 devices (0: Quadro GV100, 1: Quadro GP100): choose one with --device <id or name>`);
    const result = read('nvbench', at('nvbench', 'axes-ref.json'), { device: 'Quadro GV100' });
    expect(result.device).toMatchObject({ backend: 'cuda', deviceKey: 'nvbench/Quadro-GV100/sm70', computeCapability: '7.0', multiprocessorCount: 80, l2CacheBytes: 6291456, peakBandwidthGBps: 870.4 });
    expect(result.imported!.harnessVersion).toBe('0.1.0');
    const ids = result.measurements.map((m) => m.id);
    expect(ids).toContain('simple');
    expect(ids).toContain('copy_sweep_grid_shape/BlockSize64_NumBlocks256');
    expect(ids).toContain('copy_type_sweep/U8');
    expect(ids).toContain('single_float64_axis/0.0001');
    // Skipped states (a type conversion nvbench does not run) are no benchmark.
    expect(ids.filter((id) => id.startsWith('copy_type_conversion_sweep/I8/I8'))).toEqual([]);
    expect(result.measurements.find((m) => m.id === 'simple')!.reported).toEqual({ kind: 'mean-std', n: 499, meanMs: 0.0010034715849794225 * 1e3, stdMs: 0.0010034715849794225 * 1e3 * Number(JSON.parse(readFileSync(at('nvbench', 'axes-ref.json'), 'utf8')).benchmarks[0].states[0].summaries[4].data[0].value) });
  });

  it('its two runs of one build (ref, cmp) are judged by Welch\'s t on the summaries: no regression on either device', () => {
    for (const device of ['0', '1']) {
      const base = read('nvbench', at('nvbench', 'axes-ref.json'), { device });
      const judged = judge(base, read('nvbench', at('nvbench', 'axes-cmp.json'), { device }));
      expect(judged.counts.regression).toBe(0);
      expect(judged.results.every((r) => r.evidence === 'summary' && r.reason.includes("summary-based test: Welch's t on log means"))).toBe(true);
      // Across runs the 1% run-to-run spread keeps a CI from settling within 3% at the suite's
      // level (60 benchmarks, Holm): inconclusive, never a verdict the data cannot carry.
      expect(judged.counts.unchanged + judged.counts.inconclusive).toBe(judged.results.length);
    }
  });

  it('--jsonbin: every sample from the sidecar; 8% slower is a regression, with samples and with summaries alone; the base against itself is not', () => {
    const base = read('nvbench', at('nvbench', 'synthetic', 'base.json'));
    expect(base.measurements.map((m) => m.samplesMs.length)).toEqual([2000, 2000, 2000]);
    expect(base.measurements.map((m) => m.id)).toEqual(['copy_sweep/Elements16777216', 'copy_sweep/Elements268435456', 'reduce_type_sweep/F32']);
    const bytes = readFileSync(at('nvbench', 'synthetic', 'base.json-bin', '0.bin'));
    expect(base.measurements[0]!.samplesMs[0]).toBe(bytes.readFloatLE(0) * 1e3);
    for (const [baseFile, slowedFile] of [['base.json', 'slowed.json'], ['base-summary.json', 'slowed-summary.json']]) {
      const before = read('nvbench', at('nvbench', 'synthetic', baseFile!));
      expect(Object.values(verdicts(before, read('nvbench', at('nvbench', 'synthetic', slowedFile!))))).toEqual(['regression', 'regression', 'regression']);
      expect(Object.values(verdicts(before, before)).filter((v) => v === 'regression')).toEqual([]);
    }
  });
});

describe('Triton perf_report CSV (real: examples/triton-softmax/perf_report.py on an H100, Triton 3.6, 2026-12-06)', () => {
  const options = { unit: 'us', device: 'NVIDIA H100 80GB HBM3' };
  const dir = (side: string) => at('triton', 'real', side);
  const byId = (base: string, head: string) =>
    Object.fromEntries(judge(readImport('triton', [dir(base)], options), readImport('triton', [dir(head)], options)).results.map((r) => [r.id, r]));

  it('reads what Triton 3.6 writes: the ylabel beside each line name, six decimals, each number\'s rounding from its own digits', () => {
    const result = readImport('triton', [dir('base')], options);
    expect(result.measurements.map((m) => m.id)).toEqual(['N1024', 'N2048', 'N4096', 'N8192', 'N16384'].flatMap((n) => [`softmax-performance/Triton_us/${n}`, `softmax-performance/Torch_us/${n}`]));
    expect(result.measurements[0]!.reported).toEqual({ kind: 'single', valueMs: 12.096e-3, statistic: 'value perf_report wrote', roundingMs: 0.5e-6 * 1e-3 });
  });

  it('the build that repeats the exponentials: Triton slower where the exponentials are not hidden behind memory (N1024 +8.7%, N2048 +6.4%, N16384 +14.5%), torch unchanged', () => {
    const judged = byId('base', 'slowed');
    const regressions = Object.values(judged).filter((r) => r.verdict === 'regression').map((r) => r.id).sort();
    expect(regressions).toEqual(['softmax-performance/Triton_us/N1024', 'softmax-performance/Triton_us/N16384', 'softmax-performance/Triton_us/N2048']);
    expect(Object.values(judged).filter((r) => r.id.includes('Torch')).every((r) => r.verdict === 'unchanged')).toBe(true);
  });

  it('one number a side cannot tell noise from a change: a second run of the same build reads N1024 4.0% slower, past the 3% threshold (why run --command takes samples)', () => {
    const judged = byId('base', 'base-again');
    expect(judged['softmax-performance/Triton_us/N1024']!.verdict).toBe('regression');
    expect(judged['softmax-performance/Triton_us/N1024']!.changePct).toBeCloseTo(3.97, 1);
    expect(judged['softmax-performance/Triton_us/N1024']!.reason).toMatch(/no statistics: one number a side/);
    expect(Object.values(judged).filter((r) => r.verdict === 'regression')).toHaveLength(1);
  });
});

describe('Triton perf_report CSV (synthetic, labelled: the CSV path of Mark._run with a stand-in function)', () => {
  const options = { unit: 'us', device: 'NVIDIA H100 80GB HBM3' };
  const dir = (side: string) => at('triton', 'synthetic', side);

  it('reads a directory of plots: ids from the plot, the line and the x values (copies of the first x column are x too), times in the unit given, the rounding kept', () => {
    const result = readImport('triton', [dir('base')], options);
    expect(result.measurements.map((m) => m.id)).toEqual([
      'matmul-performance/Triton/M1024_N1024_K1024', 'matmul-performance/Triton/M2048_N2048_K2048', 'matmul-performance/Triton/M4096_N4096_K4096',
      'softmax-performance/Triton/N1024', 'softmax-performance/Torch/N1024', 'softmax-performance/Triton/N2048', 'softmax-performance/Torch/N2048',
      'softmax-performance/Triton/N4096', 'softmax-performance/Torch/N4096', 'softmax-performance/Triton/N8192', 'softmax-performance/Torch/N8192',
    ]);
    expect(result.measurements[0]!.reported).toEqual({ kind: 'single', valueMs: 8.6e-3, statistic: 'value perf_report wrote', roundingMs: 0.05e-3 });
    expect(result.device.deviceKey).toBe('triton/NVIDIA-H100-80GB-HBM3');
  });

  it('one number a point: Triton 25% slower is a regression by the threshold check, Torch unchanged, and "no statistics" is said', () => {
    const judged = judge(readImport('triton', [dir('base')], options), readImport('triton', [dir('slowed')], options));
    const byId = Object.fromEntries(judged.results.map((r) => [r.id, r]));
    expect(byId['softmax-performance/Triton/N4096']!.verdict).toBe('regression');
    expect(byId['softmax-performance/Torch/N4096']!.verdict).toBe('unchanged');
    expect(byId['softmax-performance/Triton/N4096']!.reason).toMatch(/no statistics: one number a side/);
    expect(judged.results.every((r) => r.evidence === 'none' && r.pValue === null && r.ratioCi95 === null)).toBe(true);
    const same = judge(readImport('triton', [dir('base')], options), readImport('triton', [dir('base')], options));
    expect(same.counts.regression).toBe(0);
  });
});
