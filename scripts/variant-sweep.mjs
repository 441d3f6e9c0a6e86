#!/usr/bin/env node
// Every compiled variant of the kernel on every benchmark of a suite: checked first, then timed
// (CUDA events, L2 flushed, median of --samples). Used to choose each shape's default variant.
//   node scripts/variant-sweep.mjs [--backend cuda] [--samples 50] [benchmark ids ... (default: the default suite)]
import { benchmarkId, parseBenchmarkId } from '@ratchet/types';
import { defaultConfig } from '@ratchet/core';
import { loadNative } from '@ratchet/native';

const args = process.argv.slice(2);
const backend = args.includes('--backend') ? args[args.indexOf('--backend') + 1] : 'cuda';
const samples = args.includes('--samples') ? Number(args[args.indexOf('--samples') + 1]) : 50;
const native = loadNative();
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ids = args.filter((arg, i) => arg.includes('/') && args[i - 1] !== '--backend');
const benchmarks = ids.length ? ids.map((id) => parseBenchmarkId(id) ?? (() => { throw new Error(`not a benchmark id: ${id}`); })()) : defaultConfig.suites[backend];

console.log(`| benchmark | ${backend} variant | median ms | TFLOP/s | check |`);
console.log('| --- | --- | ---: | ---: | --- |');
for (const benchmark of benchmarks) {
  const flops = 4 * benchmark.B * benchmark.H * benchmark.S * benchmark.S * benchmark.D * (benchmark.causal ? 0.5 : 1);
  for (const variant of native.variants(backend, benchmark)) {
    const session = native.open(backend, benchmark, { variant });
    const check = await session.check();
    if (!check.passed) {
      console.log(`| ${benchmarkId(benchmark)} | ${variant} | | | FAILED: ${check.detail} |`);
      session.close();
      continue;
    }
    const ms = median((await session.sample({ warmup: 5, samples, l2Flush: true, launchesPerSample: 1 })).samplesMs);
    session.close();
    console.log(`| ${benchmarkId(benchmark)} | ${variant} | ${ms.toFixed(4)} | ${(flops / ms / 1e9).toFixed(1)} | rel ${check.relError.toExponential(1)} |`);
  }
}
