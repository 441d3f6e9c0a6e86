#!/usr/bin/env node
// Prints a RunResult (results/current.json) as the markdown table docs/benchmarks.md keeps:
// per shape, median ms, TFLOP/s, fraction of the device's peak, and the 95% CI half-width.
// Usage: node scripts/results-table.mjs [results/current.json]
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'results/current.json';
const result = JSON.parse(readFileSync(path, 'utf8'));
const { device, timing } = result;

console.log(`device: ${device.name} [${device.deviceKey}], peak ${device.peakTflops ?? '?'} TFLOP/s, ${device.peakBandwidthGBps ?? '?'} GB/s`);
console.log(`timing: ${timing.clock}, warm-up ${timing.warmup}, L2 flush ${timing.l2Flush ? 'on' : 'off'}, ${timing.launchesPerSample} launch(es)/sample`);
console.log('');
console.log('| benchmark | variant | median ms | TFLOP/s | of peak | 95% CI half-width | n | check (rel. error) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const m of result.measurements) {
  if (m.status !== 'ok') {
    console.log(`| ${m.id} | ${m.variant} | invalid | | | | | failed: ${m.correctness.detail ?? ''} |`);
    continue;
  }
  const { median, ci95Median, n } = m.summary;
  const halfWidthPct = (Math.max(median - ci95Median[0], ci95Median[1] - median) / median) * 100;
  const ofPeak = device.peakTflops ? `${((m.tflops / device.peakTflops) * 100).toFixed(1)}%` : 'n/a';
  console.log(
    `| ${m.id} | ${m.variant} | ${median.toFixed(4)} | ${m.tflops.toFixed(1)} | ${ofPeak} | ±${halfWidthPct.toFixed(2)}% | ${n} | ${m.correctness.relError.toExponential(1)} |`,
  );
}
