#!/usr/bin/env node
// How faithfully calibrate's injected slowdown lands on this GPU: for each requested wait after
// the kernel (the spin on SM cycles below 20 us, the global timer from 20 us), the shift of the
// sample median it produced against a wait of 0.01 us, in interleaved rounds on one session so
// that drift cancels. A calibration's detection figures are only as good as this.
//   node scripts/injection-check.mjs [--rounds N] [--samples N]
import { parseArgs } from 'node:util';
import { loadNative } from '../native/dist/index.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '12' }, samples: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const samples = Number(values.samples);
const native = loadNative();
const median = (list) => list.slice().sort((a, b) => a - b)[list.length >> 1];

const shapes = [
  { benchmark: { kernel: 'flash_fwd', dtype: 'fp16', B: 32, H: 8, S: 512, D: 64, causal: false }, slowdownsPct: [0.5, 1, 2, 3, 5] },
  { benchmark: { kernel: 'flash_fwd', dtype: 'fp16', B: 4, H: 16, S: 4096, D: 128, causal: true }, slowdownsPct: [0.5, 1, 2, 3, 5] },
];
const baseWaitUs = 0.01;

console.log('| benchmark | kernel us | asked | asked us | median shift us (min..max over rounds) | landed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const { benchmark, slowdownsPct } of shapes) {
  const session = native.open('cuda', benchmark);
  if (!(await session.check()).passed) throw new Error(`${JSON.stringify(benchmark)}: correctness check failed`);
  const take = async (extraUs) => median((await session.sample({ warmup: 0, samples, l2Flush: true, launchesPerSample: 1, extraUs })).samplesMs) * 1e3;
  await session.sample({ warmup: 20, samples: 50, l2Flush: true, launchesPerSample: 1 });
  const kernelUs = await take(baseWaitUs);
  const waits = slowdownsPct.map((pct) => baseWaitUs + (kernelUs * pct) / 100);
  const shifts = waits.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    const base = await take(baseWaitUs);
    for (const [i, wait] of waits.entries()) shifts[i].push((await take(wait)) - base);
  }
  session.close();
  const name = `${benchmark.dtype} S${benchmark.S} D${benchmark.D}${benchmark.causal ? ' causal' : ''}`;
  slowdownsPct.forEach((pct, i) => {
    const asked = waits[i] - baseWaitUs;
    const landed = median(shifts[i]);
    console.log(`| ${name} | ${kernelUs.toFixed(1)} | +${pct}% | ${asked.toFixed(2)} | ${landed.toFixed(2)} (${Math.min(...shifts[i]).toFixed(2)}..${Math.max(...shifts[i]).toFixed(2)}) | ${((landed / kernelUs) * 100).toFixed(2)}% |`);
  });
}
