#!/usr/bin/env node
// What one sample costs beyond the kernel on this GPU: wall time of a sample() call minus the
// time its CUDA events measured, per sample (L2 flush, launch, event synchronize and the NVML
// clock read after each sample), the cost of one session.clock() (two NVML calls) for scale, and
// the kernel medians of a few attention shapes. With --addon, the same for another build of the
// addon (one from before the generic harness, say): scripts/gpu-host.sh alternates the two so
// that drift between them shows.
//   node scripts/sample-overhead.mjs [--samples N] [--addon PATH]
import { parseArgs } from 'node:util';
import { loadNative, loadNativeFrom, nativeAddonPath } from '../native/dist/index.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '2000' }, addon: { type: 'string' } } });
const count = Number(values.samples);
const native = values.addon ? loadNativeFrom(values.addon) : loadNative();
const label = values.addon ?? nativeAddonPath();

const attention = (dtype, B, H, S, D, causal) => ({ kernel: 'flash_fwd', dtype, B, H, S, D, causal });
const shapes = [attention('fp16', 32, 8, 512, 64, false), attention('bf16', 8, 16, 2048, 128, false), attention('fp16', 4, 16, 4096, 128, true)];
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
const sampleOptions = (samples) => ({ warmup: 0, samples, l2Flush: true, launchesPerSample: 1 });

async function openChecked(benchmark) {
  const session = native.open('cuda', benchmark);
  if (!(await session.check()).passed) throw new Error(`${JSON.stringify(benchmark)}: correctness check failed`);
  await session.sample({ ...sampleOptions(50), warmup: 20 });
  return session;
}

console.log(`addon: ${label}`);
const first = await openChecked(shapes[0]);
let started = performance.now();
const batch = await first.sample(sampleOptions(count));
const wallMs = performance.now() - started;
const kernelMs = batch.samplesMs.reduce((a, b) => a + b, 0);
started = performance.now();
for (let i = 0; i < count; i += 1) first.clock();
const clockUs = ((performance.now() - started) / count) * 1e3;
const clocks = batch.clockMHz ?? [];
first.close();

console.log(`samples: ${count}, variant ${first.variant}`);
console.log(`overhead per sample beyond the timed region (L2 flush, sync, NVML read): ${(((wallMs - kernelMs) / count) * 1e3).toFixed(1)} us`);
console.log(`session.clock() (2 NVML calls): ${clockUs.toFixed(1)} us`);
console.log(`per-sample SM clocks: ${clocks.length ? `${Math.min(...clocks)}..${Math.max(...clocks)} MHz over ${clocks.length}` : 'none'}`);
for (const benchmark of shapes) {
  const session = await openChecked(benchmark);
  const samples = (await session.sample(sampleOptions(300))).samplesMs;
  console.log(`kernel median ${benchmark.dtype} B${benchmark.B} H${benchmark.H} S${benchmark.S} D${benchmark.D}${benchmark.causal ? ' causal' : ''} (${session.variant}): ${median(samples).toFixed(4)} ms over ${samples.length}`);
  session.close();
}
