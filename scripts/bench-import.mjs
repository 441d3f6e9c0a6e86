// How long `--from` takes on big outputs (docs/benchmarks.md, "Importing another harness's
// output"): a Google Benchmark JSON of 1,000 benchmarks x 100 repetitions (over 50 MB), and an
// nvbench --jsonbin set of 100 states x 10,000 samples, each judged by the built CLI against a
// baseline of the same shape (`ratchet compare --from ... --no-ratchet`, the whole process timed:
// Node's start, reading, parsing, mapping, judging, writing the report), then the same steps
// in-process, to say where the time goes.
//
//   pnpm bench:import            (builds first)   node scripts/bench-import.mjs [--runs 5]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineFromRun, compare, readImport } from '@ratchet/core';

const cli = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const work = mkdtempSync(join(tmpdir(), 'ratchet-bench-import-'));

function random(seed) {
  let state = seed >>> 0;
  return () => ((state = (state * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
}

/** A Google Benchmark --benchmark_out file as the library writes it: per repetition an iteration run, then the aggregates. */
function googleBenchmark(path, slower) {
  const next = random(11);
  const entries = [];
  for (let b = 0; b < 1000; b += 1) {
    const name = `BM_Kernel<float>/${1 << (b % 20)}/${b}`;
    const median = 1 + (b % 37) * 3.1;
    const factor = b % 10 === 0 ? slower : 1;
    const times = Array.from({ length: 100 }, () => median * factor * Math.exp(0.01 * Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next())));
    times.forEach((time, i) => entries.push({
      name, family_index: b, per_family_instance_index: 0, run_name: name, run_type: 'iteration', repetitions: 100, repetition_index: i, threads: 1,
      iterations: 1000, real_time: time * 1.01, cpu_time: time, time_unit: 'us', bytes_per_second: 4.2e9 / time, items_per_second: 1e6 / time,
    }));
    const mean = times.reduce((a, t) => a + t, 0) / times.length;
    for (const aggregate of ['mean', 'median', 'stddev', 'cv']) {
      entries.push({ name: `${name}_${aggregate}`, family_index: b, per_family_instance_index: 0, run_name: name, run_type: 'aggregate', repetitions: 100, threads: 1, aggregate_name: aggregate, aggregate_unit: aggregate === 'cv' ? 'percentage' : 'time', iterations: 100, real_time: mean, cpu_time: mean, time_unit: 'us' });
    }
  }
  const context = { date: '2026-12-06T12:00:00+00:00', host_name: 'bench', executable: './bench', num_cpus: 2, mhz_per_cpu: 2600, cpu_scaling_enabled: false, caches: [], load_avg: [1, 1, 1], library_build_type: 'release' };
  writeFileSync(path, JSON.stringify({ context, benchmarks: entries }, null, 2));
  return statSync(path).size;
}

/** An nvbench --jsonbin set: the JSON and one float32 sidecar per state. */
function nvbench(dir, name, slower) {
  const next = random(7);
  const binDir = join(dir, `${name}.json-bin`);
  mkdirSync(binDir, { recursive: true });
  const states = [];
  let bytes = 0;
  for (let s = 0; s < 100; s += 1) {
    const median = (5 + (s % 13) * 7) * 1e-6 * (s % 10 === 0 ? slower : 1);
    const samples = new Float32Array(10_000).map(() => median * Math.exp(0.01 * Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next())));
    writeFileSync(join(binDir, `${s}.bin`), Buffer.from(samples.buffer));
    bytes += samples.byteLength;
    const value = (v, type = 'float64') => [{ name: 'value', type, value: String(v) }];
    states.push({
      name: `Device=0 Elements=${s}`, device: 0, axis_values: [{ name: 'Elements', type: 'int64', value: String(s) }], is_skipped: false,
      summaries: [
        { tag: 'nv/cold/sample_size', hint: 'sample_size', data: value(10_000, 'int64') },
        { tag: 'nv/cold/time/gpu/mean', hint: 'duration', data: value(median) },
        { tag: 'nv/json/bin:nv/cold/sample_times', hint: 'file/sample_times', data: [{ name: 'filename', type: 'string', value: `${name}.json-bin/${s}.bin` }, { name: 'size', type: 'int64', value: '10000' }] },
      ],
    });
  }
  const devices = [{ id: 0, name: 'NVIDIA H100 80GB HBM3', sm_version: 900, number_of_sms: 132 }];
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ meta: { version: { nvbench: { string: '0.2.0' } } }, devices, benchmarks: [{ name: 'copy', states }] }));
  return bytes + statSync(join(dir, `${name}.json`)).size;
}

/** The built CLI on `args` in `cwd`: wall time in ms and its exit status (1: the regressions planted). */
function timedCli(cwd, args) {
  const started = process.hrtime.bigint();
  let status = 0;
  try {
    execFileSync(process.execPath, [cli, ...args], { cwd, stdio: 'ignore' });
  } catch (error) {
    status = error.status;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05, runToRunPct: 1, newEntryMaxCvPct: 10 };

function bench(label, format, dir, base, head, size) {
  // The baseline: the base file judged once with the ratchet on (every benchmark new, stored).
  const stored = timedCli(dir, ['compare', '--from', format, base]);
  if (stored.status !== 0) throw new Error(`${label}: storing the baseline exited ${stored.status}`);
  const times = Array.from({ length: runs }, () => timedCli(dir, ['compare', '--from', format, head, '--no-ratchet']));
  const statuses = [...new Set(times.map((t) => t.status))];
  // In-process: where the time goes (no Node start, no report written).
  const t0 = performance.now();
  const baseRun = readImport(format, [join(dir, base)]);
  const t1 = performance.now();
  const headRun = readImport(format, [join(dir, head)]);
  const t2 = performance.now();
  const comparison = compare(headRun, baselineFromRun(baseRun), thresholds);
  const t3 = performance.now();
  console.log(`${label} (${(size / 1e6).toFixed(1)} MB): ratchet compare --from ${format}, whole process: median ${median(times.map((t) => t.ms)).toFixed(0)} ms, min ${Math.min(...times.map((t) => t.ms)).toFixed(0)} ms over ${runs} runs (exit ${statuses.join('/')}, ${comparison.counts.regression} regressions of ${comparison.results.length})`);
  console.log(`  in-process: import ${(t2 - t1).toFixed(0)} ms (the base's ${(t1 - t0).toFixed(0)} ms), judge ${(t3 - t2).toFixed(0)} ms`);
}

console.log(`bench-import: ${new Date().toISOString()}, ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`);
try {
  const gb = join(work, 'gb');
  mkdirSync(gb);
  const gbSize = googleBenchmark(join(gb, 'base.json'), 1);
  googleBenchmark(join(gb, 'head.json'), 1.1);
  bench('Google Benchmark, 1,000 benchmarks x 100 repetitions', 'google-benchmark', gb, 'base.json', 'head.json', gbSize);
  const nv = join(work, 'nv');
  mkdirSync(nv);
  const nvSize = nvbench(nv, 'base', 1);
  nvbench(nv, 'head', 1.1);
  bench('nvbench --jsonbin, 100 states x 10,000 samples', 'nvbench', nv, 'base.json', 'head.json', nvSize);
} finally {
  rmSync(work, { recursive: true, force: true });
}
