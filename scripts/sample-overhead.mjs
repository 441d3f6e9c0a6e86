#!/usr/bin/env node
// What one sample costs beyond the kernel on this GPU: wall time of a sample() call minus the
// time its CUDA events measured, per sample (L2 flush, launch, event synchronize and the NVML
// clock read after each sample), and the cost of one session.clock() (two NVML calls) for scale.
//   node scripts/sample-overhead.mjs [--samples N]
import { loadNative } from '../native/dist/index.js';

const count = Number(process.argv[process.argv.indexOf('--samples') + 1]) || 2000;
const native = loadNative();
const benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 32, H: 8, S: 512, D: 64, causal: false };
const session = native.open('cuda', benchmark);
if (!session.check().passed) throw new Error('correctness check failed');
session.sample({ warmup: 20, samples: 50, l2Flush: true, launchesPerSample: 1 });

let started = performance.now();
const batch = session.sample({ warmup: 0, samples: count, l2Flush: true, launchesPerSample: 1 });
const wallMs = performance.now() - started;
const kernelMs = batch.samplesMs.reduce((a, b) => a + b, 0);

started = performance.now();
for (let i = 0; i < count; i += 1) session.clock();
const clockUs = ((performance.now() - started) / count) * 1e3;
session.close();

const clocks = batch.clockMHz ?? [];
const sorted = batch.samplesMs.slice().sort((a, b) => a - b);
console.log(`samples: ${count}, kernel median ${sorted[count >> 1].toFixed(4)} ms`);
console.log(`overhead per sample beyond the timed region (L2 flush, sync, NVML read): ${(((wallMs - kernelMs) / count) * 1e3).toFixed(1)} us`);
console.log(`session.clock() (2 NVML calls): ${clockUs.toFixed(1)} us`);
console.log(`per-sample SM clocks: ${clocks.length ? `${Math.min(...clocks)}..${Math.max(...clocks)} MHz over ${clocks.length}` : 'none'}`);
