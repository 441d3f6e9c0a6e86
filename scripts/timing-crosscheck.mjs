#!/usr/bin/env node
// Checks our CUDA-event timing against an independent measurement of the same kernel: Nsight
// Compute's gpu__time_duration (clock control off, caches flushed per launch like our L2 flush).
//   node scripts/timing-crosscheck.mjs [--id flash_fwd/fp16/B8_H16_S2048_D128] [--samples 50] [--ncu-log FILE]
// Prints both medians and their difference. Runs itself under ncu for the second figure.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseBenchmarkId } from '@ratchet/types';
import { loadNative } from '@ratchet/native';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const id = option('--id', 'flash_fwd/fp16/B8_H16_S2048_D128');
const samples = Number(option('--samples', '50'));
const benchmark = parseBenchmarkId(id);
if (!benchmark) throw new Error(`not a benchmark id: ${id}`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function measureOurs() {
  const native = loadNative();
  const session = native.open('cuda', benchmark);
  const check = session.check();
  if (!check.passed) throw new Error(`${id} failed its check: ${check.detail}`);
  const times = session.sample({ warmup: 10, samples, l2Flush: true, launchesPerSample: 1 });
  session.close();
  return times;
}

if (args.includes('--inner')) {
  measureOurs();
  process.exit(0);
}

const ours = median(measureOurs());
const log = option('--ncu-log', '/tmp/ratchet-ncu.csv');
const ncu = spawnSync('ncu', ['--clock-control', 'none', '--cache-control', 'all', '--metrics', 'gpu__time_duration.sum', '-k', 'regex:flashForwardKernel',
  '--csv', '--log-file', log, process.execPath, fileURLToPath(import.meta.url), '--inner', '--id', id, '--samples', String(samples)], { encoding: 'utf8' });
if (ncu.status !== 0) {
  console.log(`ours (CUDA events, L2 flushed): ${ours.toFixed(4)} ms; ncu failed: ${(ncu.stderr || ncu.stdout).slice(-500)}`);
  process.exit(1);
}
// CSV rows: ..., "Metric Name","Metric Unit","Metric Value"; skip the check and warm-up launches.
const rows = readFileSync(log, 'utf8').split('\n').filter((line) => line.includes('gpu__time_duration.sum'));
const values = rows.map((line) => {
  const cells = line.split('","').map((cell) => cell.replace(/^"|"$/g, ''));
  const unit = cells[cells.length - 2];
  const value = Number(cells[cells.length - 1].replace(/,/g, ''));
  const perMs = { nsecond: 1e6, ns: 1e6, usecond: 1e3, us: 1e3, msecond: 1, ms: 1, second: 1e-3, s: 1e-3 }[unit];
  return perMs === undefined ? Number.NaN : value / perMs;
});
const timed = values.slice(-samples);
const theirs = median(timed);
if (!Number.isFinite(theirs)) {
  console.log(`could not read ncu's figures; its first rows:\n${rows.slice(0, 3).join('\n')}`);
  process.exit(1);
}
console.log(`| benchmark | ours: CUDA events (median of ${samples}) | Nsight Compute gpu__time_duration (median of ${timed.length}) | difference |`);
console.log('| --- | ---: | ---: | ---: |');
console.log(`| ${id} | ${ours.toFixed(4)} ms | ${theirs.toFixed(4)} ms | ${(((ours - theirs) / theirs) * 100).toFixed(2)}% |`);
