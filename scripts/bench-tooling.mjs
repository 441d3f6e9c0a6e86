#!/usr/bin/env node
// Times the tooling itself, not a kernel: compare + report over 1,000 benchmarks of 10,000
// samples each (budget: under 1 s), and `ratchet --help` start-up (budget: under 300 ms).
// Run with `pnpm bench:tooling` (it builds first). Figures go to docs/benchmarks.md by hand,
// with the command, the machine and the date.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judge } from '@ratchet/core';
import { summarize } from '@ratchet/stats';
// xorshift32, so every run times the same data.
import { rng } from './synthetic-history.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchmarks = 1_000;
const samplesPerBenchmark = 10_000;

function lognormalSamples(random, medianMs, sigma, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    out[i] = medianMs * Math.exp(sigma * z);
  }
  return out;
}

const device = {
  backend: 'cuda', name: 'synthetic', deviceKey: 'synthetic/sm90', computeCapability: '9.0',
  multiprocessorCount: 132, l2CacheBytes: null, memoryBytes: null, driverVersion: null,
  runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: 3350, peakTflops: 989,
};
const random = rng(42);
const baselineEntries = {};
const measurements = [];
for (let i = 0; i < benchmarks; i += 1) {
  const benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1 + (i % 32), H: 8, S: 512 + i, D: 64, causal: false };
  const id = `flash_fwd/fp16/B${benchmark.B}_H8_S${benchmark.S}_D64`;
  const baseMs = 0.1 + random();
  // A spread of outcomes so every verdict path and report section is exercised.
  const drift = [1, 1, 1, 1.1, 0.9, 1.02][i % 6];
  // Stored ascending, as the ratchet writes baselines.
  const baselineMs = lognormalSamples(random, baseMs, 0.03, samplesPerBenchmark).sort((a, b) => a - b);
  const currentMs = lognormalSamples(random, baseMs * drift, 0.03, samplesPerBenchmark);
  // Clocks per sample as a GPU run records them (one steady clock), so the cycles check runs too.
  baselineEntries[id] = {
    summary: summarize(baselineMs), samplesMs: baselineMs, samplesKcycles: baselineMs.map((ms) => ms * 1980), variant: 'default', sha: null,
    acceptedAt: '2026-01-01T00:00:00.000Z', acceptedAs: 'new',
  };
  measurements.push({
    id, benchmark, status: 'ok', variant: 'default', samplesMs: currentMs, samplesClockMHz: currentMs.map(() => 1980), summary: summarize(currentMs),
    flops: 1, bytes: 1, tflops: 1, gbps: 1, roof: null, roofFraction: null,
    correctness: { passed: true, maxAbsError: 0, relError: 0, tolerance: 1e-3, reference: 'synthetic' },
    stopReason: 'max-samples', clockStart: null, clockEnd: null,
  });
}
const baseline = { schemaVersion: 1, devices: { [device.deviceKey]: { device, benchmarks: baselineEntries } } };
const result = {
  schemaVersion: 1, createdAt: '2026-01-01T00:00:00.000Z', git: null, device,
  timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 }, measurements,
};
const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05 };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

judge(result, baseline, thresholds); // warm the JIT once, as a long-lived tool would be
const judgeMs = [];
let counts;
for (let round = 0; round < 5; round += 1) {
  const started = performance.now();
  const judgement = judge(result, baseline, thresholds);
  judgeMs.push(performance.now() - started);
  counts = judgement.comparison.counts;
}

const cli = resolve(root, 'packages/cli/dist/bin.js');
const helpMs = [];
for (let round = 0; round < 10; round += 1) {
  const started = performance.now();
  const child = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  helpMs.push(performance.now() - started);
  if (child.status !== 0) throw new Error(`ratchet --help exited ${child.status}: ${child.stderr}`);
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
console.log(`verdicts: ${JSON.stringify(counts)}`);
console.log('| what | median | runs | budget |');
console.log('| --- | --- | --- | --- |');
console.log(`| compare + report, ${benchmarks} benchmarks x ${samplesPerBenchmark} samples | ${median(judgeMs).toFixed(0)} ms | ${judgeMs.length} | 1000 ms |`);
console.log(`| \`ratchet --help\` start-up (process spawn included) | ${median(helpMs).toFixed(0)} ms | ${helpMs.length} | 300 ms |`);
