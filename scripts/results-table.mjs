#!/usr/bin/env node
// Prints a RunResult (results/current.json) as the markdown table docs/benchmarks.md keeps:
// per shape, median ms, the rate that matters (TFLOP/s, or GB/s where memory binds), the fraction
// of the binding roof, and the 95% CI half-width.
// Usage: node scripts/results-table.mjs [results/current.json]
import { readFileSync } from 'node:fs';
import { workRateText } from '@ratchet/report';

const path = process.argv[2] ?? 'results/current.json';
const result = JSON.parse(readFileSync(path, 'utf8'));
const { device, timing } = result;

console.log(`device: ${device.name} [${device.deviceKey}], peak ${device.peakTflops ?? '?'} TFLOP/s, ${device.peakBandwidthGBps ?? '?'} GB/s`);
console.log(`timing: ${timing.clock}, warm-up ${timing.warmup}, L2 flush ${timing.l2Flush ? 'on' : 'off'}, ${timing.launchesPerSample} launch(es)/sample`);
console.log('');
console.log('| benchmark | variant | median ms | rate | of roof | 95% CI half-width | n | check (rel. error) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const m of result.measurements) {
  if (m.status !== 'ok') {
    console.log(`| ${m.id} | ${m.variant} | invalid | | | | | failed: ${m.correctness.detail ?? ''} |`);
    continue;
  }
  const { median, ci95Median, n } = m.summary;
  const halfWidthPct = (Math.max(median - ci95Median[0], ci95Median[1] - median) / median) * 100;
  const ofRoof = m.roofFraction === null ? 'n/a' : `${(m.roofFraction * 100).toFixed(1)}% ${m.roof}`;
  console.log(
    `| ${m.id} | ${m.variant} | ${median.toFixed(4)} | ${workRateText(m) ?? 'n/a'} | ${ofRoof} | ±${halfWidthPct.toFixed(2)}% | ${n} | ${m.correctness.relError.toExponential(1)} |`,
  );
}
