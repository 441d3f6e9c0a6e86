#!/usr/bin/env node
// What `ratchet calibrate` would show, and how much device time it would take, on the default
// CUDA suite, before spending GPU time on it: the suite simulated (core's simulatedBackend) from
// the medians and per-sample noise the H100 measured (docs/benchmarks.md, "The default GPU
// suite": sigma = CI half-width x sqrt(n) / (1.96 x 1.2533)), through the real calibrate code.
// Takes calibrate's own options:
//
//   node scripts/calibration-plan.mjs --trials 100 --slowdowns 1 --sensitivity-trials 20 \
//     --thresholds 0.5 --set-time-ms 60 --set-min-samples 10
//
// It models iid noise only: the GPU adds what it adds (slow spells, clocks), which is what the
// real calibration is for.
import { parseArgs } from 'node:util';
import { calibrateBenchmark, calibrationResults, defaultConfig, simulatedBackend } from '@ratchet/core';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '100' },
    slowdowns: { type: 'string', default: '1' },
    'sensitivity-trials': { type: 'string', default: '20' },
    thresholds: { type: 'string', default: '0.5' },
    'set-time-ms': { type: 'string' },
    'set-min-samples': { type: 'string' },
    'set-target': { type: 'string' },
  },
});

/** The H100's default suite (2026-11-23): median ms and the per-sample sigma its CIs imply. */
const suite = [
  ['fp16/B32_H8_S512_D64', 0.0852, 0.0068], ['fp16/B8_H16_S2048_D128', 1.2721, 0.006], ['fp16/B2_H16_S8192_D128', 4.84, 0.0071],
  ['fp16/B16_H16_S1024_D64', 0.2906, 0.0023], ['fp16/B4_H16_S4096_D128_causal', 1.2946, 0.007],
  ['bf16/B32_H8_S512_D64', 0.0839, 0.0068], ['bf16/B8_H16_S2048_D128', 1.2712, 0.0045], ['bf16/B2_H16_S8192_D128', 4.8517, 0.0109],
  ['bf16/B16_H16_S1024_D64', 0.2903, 0.0034], ['bf16/B4_H16_S4096_D128_causal', 1.2986, 0.007],
];

const base = defaultConfig.budgets.cuda;
const budget = {
  ...base,
  ...(values['set-time-ms'] ? { maxTimeMs: Number(values['set-time-ms']), minTimeMs: Math.min(base.minTimeMs, Number(values['set-time-ms'])) } : {}),
  ...(values['set-min-samples'] ? { minSamples: Number(values['set-min-samples']) } : {}),
  ...(values['set-target'] ? { targetRelCiHalfWidth: Number(values['set-target']) } : {}),
};
const list = (text) => text.split(',').map(Number);
const regressionPcts = list(values.thresholds);
const slowdownsPct = list(values.slowdowns);
const calibrations = [];
let deviceMs = 0;
for (const [index, [name, medianMs, sigma]] of suite.entries()) {
  const [dtype, shape] = name.split('/');
  const [B, H, S, D] = shape.match(/\d+/g).map(Number);
  const benchmark = { kernel: 'flash_fwd', dtype, B, H, S, D, causal: shape.endsWith('causal') };
  const backend = simulatedBackend({ medianMs, sigma }, { seed: 500 + index });
  calibrations.push(await calibrateBenchmark(backend, benchmark, {
    budget, thresholds: defaultConfig.thresholds, regressionPcts, trials: Number(values.trials), slowdownsPct,
    sensitivityTrials: Number(values['sensitivity-trials']), suiteSize: suite.length, now: backend.now,
  }));
  deviceMs += backend.now();
}
console.log(`budget per comparison: ${budget.minSamples}-${budget.maxSamples} samples a side, ${budget.minTimeMs}-${budget.maxTimeMs} ms, CI target ${budget.targetRelCiHalfWidth * 100}%`);
console.log(`simulated device time: ${(deviceMs / 1e3).toFixed(1)} s for ${suite.length * Number(values.trials)} A/A comparisons and ${suite.length * slowdownsPct.length * Number(values['sensitivity-trials'])} with a slowdown`);
for (const at of calibrationResults(calibrations, defaultConfig.thresholds, regressionPcts)) {
  console.log(`\nthreshold ${at.regressionPct}%: A/A false alarms per pull request ${(at.suiteFalseAlarmRate * 100).toFixed(1)}%`);
  console.log(`| benchmark | A/A false alarms | re-measured | ${slowdownsPct.map((s) => `+${s}% caught`).join(' | ')} |`);
  console.log(`|---|---|---|${slowdownsPct.map(() => '---|').join('')}`);
  for (const row of at.rows) {
    console.log(`| ${row.id} | ${row.verdicts.regression}/${row.trials} | ${row.remeasured} | ${row.sensitivity.map((s) => `${s.detected}/${s.trials}`).join(' | ')} |`);
  }
}
