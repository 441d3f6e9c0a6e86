#!/usr/bin/env node
// Checks our CUDA-event timing against an independent measurement of the same kernel: Nsight
// Compute's gpu__time_duration (clock control off, caches flushed per launch like our L2 flush).
//   node scripts/timing-crosscheck.mjs [--id flash_fwd/fp16/B8_H16_S2048_D128] [--variant NAME] [--samples 50] [--ncu-log FILE]
// Prints both medians and their difference. Runs itself under ncu for the second figure.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadNative } from '@ratchet/native';
import { attentionBenchmarkOf, crosscheckTable, median, ncuDurationsMs } from './ncu-timing.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const id = option('--id', 'flash_fwd/fp16/B8_H16_S2048_D128');
const samples = Number(option('--samples', '50'));
const benchmark = attentionBenchmarkOf(id);
if (!benchmark) {
  console.error(`timing-crosscheck: not an attention benchmark id: ${id} (expected e.g. flash_fwd/fp16/B8_H16_S2048_D128)`);
  process.exit(2);
}
const variant = option('--variant', undefined);

async function measureOurs() {
  const native = loadNative();
  const session = native.open('cuda', benchmark, variant ? { variant } : {});
  const check = await session.check();
  if (!check.passed) throw new Error(`${id} failed its check: ${check.detail}`);
  const { samplesMs } = await session.sample({ warmup: 10, samples, l2Flush: true, launchesPerSample: 1 });
  const name = session.variant;
  session.close();
  return { samplesMs, name };
}

if (args.includes('--inner')) {
  await measureOurs();
  process.exit(0);
}

const { samplesMs, name } = await measureOurs();
const ours = median(samplesMs);
const log = option('--ncu-log', '/tmp/ratchet-ncu.csv');
const ncu = spawnSync('ncu', ['--clock-control', 'none', '--cache-control', 'all', '--metrics', 'gpu__time_duration.sum', '-k', 'regex:flashForward',
  '--csv', '--log-file', log, process.execPath, fileURLToPath(import.meta.url), '--inner', '--id', id, '--samples', String(samples), ...(variant ? ['--variant', variant] : [])],
  { encoding: 'utf8' });
if (ncu.status !== 0) {
  console.log(`ours (CUDA events, L2 flushed): ${ours.toFixed(4)} ms; ncu failed: ${(ncu.stderr || ncu.stdout).slice(-500)}`);
  process.exit(1);
}
// Skip the check and warm-up launches: the last `samples` rows are the timed ones.
const values = ncuDurationsMs(readFileSync(log, 'utf8'));
const timed = values.slice(-samples);
if (timed.length < samples || !timed.every(Number.isFinite)) {
  console.log(`could not read ${samples} ncu durations from ${log} (found ${values.length}, ${values.filter(Number.isFinite).length} of them times)`);
  process.exit(1);
}
const theirs = median(timed);
console.log(`variant: ${name}`);
console.log(crosscheckTable(id, ours, samples, theirs, timed.length));
