#!/usr/bin/env node
// The simulation harness of issue 13: the real measurement loop, calibrate, compare and judge,
// driven over the noise models of the issue on a simulated device (core's simulatedBackend, a
// virtual clock), seeded, so every run prints the same table. Not a unit test: a benchmark of the
// statistics, its output committed to docs/benchmarks.md with the command and the date.
//
//   pnpm bench:stats                      # builds first; the whole table (a few minutes on 2 cores)
//   node scripts/bench-stats.mjs --quick  # a tenth of the trials, to try a change
//
// Relative mode (`ratchet run --base`, interleaved in one session) is simulated through
// calibrateBenchmark + calibrationResults, exactly as `ratchet calibrate` judges: a suite of 10
// benchmarks, trial t of each judged together as one pull request (Holm across the suite, two
// looks with the bounded re-measure). Cross-run mode (against the committed baseline) measures a
// baseline run and a later run of the same code on sessions 1% apart (a new machine, day, driver)
// with measureBenchmark, judges them with compare() and re-measures what is inconclusive with
// remeasureInconclusive, as `ratchet run` does.
import { cpus } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  calibrateBenchmark, calibrationResults, compare, defaultConfig, ratchet, remeasureInconclusive, remeasureLooks, simulatedBackend,
  timingMethod, measureSuite,
} from '@ratchet/core';

const quick = isMainThread ? process.argv.includes('--quick') : workerData.quick;
const scale = quick ? 0.1 : 1;
const suiteSize = 10;
/** A/A comparisons per benchmark in relative mode: suiteSize x this per model, and this many pull requests. */
const aaTrials = Math.round(200 * scale);
/** Comparisons per injected slowdown per benchmark. */
const slowdownTrials = Math.round(40 * scale);
/** Pull requests of the suite in cross-run mode. */
const crossRunPullRequests = Math.round(200 * scale);

const budget = defaultConfig.budgets.cuda;
const thresholds = defaultConfig.thresholds;
const shapes = Array.from({ length: suiteSize }, (_, i) => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 512 * (i + 1), D: 64, causal: false }));

/** The noise models of issue 13, each on a kernel of the length given (ms). */
const relativeModels = [
  { name: 'iid lognormal 0.5%, 1 ms', model: { medianMs: 1, sigma: 0.005 } },
  { name: 'iid lognormal 2%, 1 ms', model: { medianMs: 1, sigma: 0.02 } },
  { name: 'iid lognormal 5%, 1 ms', model: { medianMs: 1, sigma: 0.05 } },
  { name: '1% outliers at 1.5-3x, 1% noise, 1 ms', model: { medianMs: 1, sigma: 0.01, outliers: { share: 0.01, factor: [1.5, 3] } } },
  { name: '0.5 us tick, 10 us kernel, 1% noise', model: { medianMs: 0.01, sigma: 0.01, tickMs: 0.0005 } },
  { name: '0.5 us tick, 20 us kernel, 1% noise', model: { medianMs: 0.02, sigma: 0.01, tickMs: 0.0005 } },
  { name: '0.5 us tick, 50 us kernel, 1% noise', model: { medianMs: 0.05, sigma: 0.01, tickMs: 0.0005 } },
  { name: '0.5 us tick, 20 us kernel, not batched', model: { medianMs: 0.02, sigma: 0.01, tickMs: 0.0005 }, budget: { minSampleTicks: 0 } },
  { name: 'lag-1 autocorrelation 0.3, 2% noise, 1 ms', model: { medianMs: 1, sigma: 0.02, autocorrelation: 0.3 } },
  { name: 'lag-1 autocorrelation 0.6, 2% noise, 1 ms', model: { medianMs: 1, sigma: 0.02, autocorrelation: 0.6 } },
  // The H200 at its power cap: one side's samples alone had lag-1 0.97 and 0.35-0.6 at lag 64.
  { name: 'wandering clock 2.5% (lag-1 0.995), 0.4% noise, 1 ms', model: { medianMs: 1, sigma: 0.004, wander: { sigma: 0.025, autocorrelation: 0.995 } } },
  { name: 'wandering clock 2.5% (lag-1 0.995), 0.4% noise, 0.05 ms', model: { medianMs: 0.05, sigma: 0.004, wander: { sigma: 0.025, autocorrelation: 0.995 } } },
];

const pct = (x) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 2 : 1)}%`;
const rate = (count, total) => `${count}/${total} (${pct(count / Math.max(total, 1))})`;

/** One model in relative mode: a calibrated suite, judged at 1.5% (the default) and 0.5%. */
async function relativeRow({ name, model, budget: override }, index) {
  const calibrations = [];
  let virtualMs = 0;
  let comparisons = 0;
  for (const [b, shape] of shapes.entries()) {
    const backend = simulatedBackend(model, { seed: 1_000 * index + b + 1 });
    calibrations.push(await calibrateBenchmark(backend, shape, {
      budget: { ...budget, ...override }, thresholds, regressionPcts: [1.5, 0.5], trials: aaTrials, slowdownsPct: [3, 1],
      sensitivityTrials: slowdownTrials, suiteSize, now: backend.now,
    }));
    virtualMs += backend.now();
    comparisons += aaTrials + 2 * slowdownTrials;
  }
  const [at15, at05] = calibrationResults(calibrations, thresholds, [1.5, 0.5]);
  const falseAlarms = (at) => at.rows.reduce((sum, row) => sum + row.verdicts.regression, 0);
  const detected = (at, slowdown) => at.rows.reduce((sum, row) => sum + row.sensitivity[slowdown].detected, 0);
  const samples = calibrations.flatMap((c) => c.aa.map((p) => p.after.samplesMs.length)).sort((a, b) => a - b);
  const remeasured = calibrations.reduce((sum, c) => sum + [...c.aa, ...c.slowdowns.flatMap((s) => s.pairs)].filter((p) => p.remeasured).length, 0);
  const aa = suiteSize * aaTrials;
  const slowed = suiteSize * slowdownTrials;
  return [
    name, 'relative', rate(falseAlarms(at15), aa), pct(at15.suiteFalseAlarmRate), rate(detected(at15, 0), slowed),
    rate(falseAlarms(at05), aa), pct(at05.suiteFalseAlarmRate), rate(detected(at05, 1), slowed),
    String(samples[Math.floor(samples.length / 2)]), pct(remeasured / comparisons), `${Math.round(virtualMs / comparisons)} ms`,
    calibrations[0].launchesPerSample > 1 ? `x${calibrations[0].launchesPerSample}` : '',
  ];
}

function runOf(backend, measurements) {
  return { schemaVersion: 2, createdAt: '2026-12-01T00:00:00.000Z', git: null, device: backend.device, timing: timingMethod(backend, budget), measurements };
}

/** Cross-run mode: each pull request judges a second run of the same code, on a device 1% off (sd), against the first. */
async function crossRunRow(name, model, regressionPct, index) {
  const judged = { ...thresholds, regressionPct };
  let flagged = 0;
  let failed = 0;
  for (let pr = 0; pr < crossRunPullRequests; pr += 1) {
    const backend = simulatedBackend(model, { seed: 7_000_000 + 10_000 * index + pr });
    const options = { budget, now: backend.now };
    const first = runOf(backend, await measureSuite(backend, shapes, options));
    const baseline = ratchet(null, first, compare(first, null, judged), { sha: null, time: first.createdAt }).baseline;
    backend.nextRun();
    let second = runOf(backend, await measureSuite(backend, shapes, options));
    const look = compare(second, baseline, judged, { looks: remeasureLooks });
    second = (await remeasureInconclusive(second, look, backend, budget)).result;
    const { regression } = compare(second, baseline, judged, { looks: remeasureLooks }).counts;
    flagged += regression;
    if (regression > 0) failed += 1;
  }
  return [`${name}, ${regressionPct}% threshold`, 'cross-run', rate(flagged, suiteSize * crossRunPullRequests), pct(failed / crossRunPullRequests), '', '', '', '', '', '', '', ''];
}

const offsets = { medianMs: 1, sigma: 0.01, runSpread: 0.01 };
/** Every row of the table, each computable alone (seeded by its index), so two workers can share them. */
const jobs = [
  ...relativeModels.map((spec, index) => ({ name: spec.name, run: () => relativeRow(spec, index) })),
  ...[3, 1.5].map((regressionPct, index) => ({
    name: `cross-run ${regressionPct}%`, run: () => crossRunRow('1% run-to-run offsets, 1% noise, 1 ms', offsets, regressionPct, index),
  })),
];

if (!isMainThread) {
  parentPort.on('message', async (index) => parentPort.postMessage({ index, row: await jobs[index].run() }));
} else {
  await main();
}

async function main() {
const started = performance.now();
const rows = new Array(jobs.length);
// Two workers (the build machine has 2 cores), each taking the next row when done with one.
const workers = Math.max(1, Math.min(2, cpus().length));
let next = 0;
await Promise.all(Array.from({ length: workers }, () => new Promise((resolve, reject) => {
  const worker = new Worker(new URL(import.meta.url), { workerData: { quick } });
  const take = () => {
    if (next >= jobs.length) return void worker.terminate().then(resolve);
    worker.postMessage(next++);
  };
  worker.on('message', ({ index, row }) => {
    rows[index] = row;
    process.stderr.write(`${jobs[index].name}: ${((performance.now() - started) / 1e3).toFixed(0)} s\n`);
    take();
  });
  worker.on('error', reject);
  take();
})));

const header = [
  'noise model', 'mode', 'A/A false alarms per benchmark (1.5%)', 'per PR of 10 (1.5%)', '+3% caught (1.5%)',
  'A/A false alarms per benchmark (0.5%)', 'per PR of 10 (0.5%)', '+1% caught (0.5%)', 'median samples per side', 're-measured', 'device time per comparison', 'launches',
];
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; ${quick ? 'quick (a tenth of the trials)' : 'full'}; ${((performance.now() - started) / 1e3).toFixed(0)} s`);
console.log(`budget: budgets.cuda defaults (${budget.minSamples}-${budget.maxSamples} samples, ${budget.minTimeMs}-${budget.maxTimeMs} ms, CI target ${budget.targetRelCiHalfWidth * 100}%, ${budget.minSampleTicks} ticks a sample); alpha ${thresholds.alpha}, Holm over ${suiteSize} benchmarks, ${remeasureLooks} looks`);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => ' --- ').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}
