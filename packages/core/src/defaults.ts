import type { Backend, Benchmark, MeasureBudget, RatchetConfig } from '@ratchet/types';
import type { PeerSpec } from './peer.js';
import { defaultProcessTimeoutMs } from './process-source.js';

const kernel = 'flash_fwd';

function shape(dtype: Benchmark['dtype'], B: number, H: number, S: number, D: number, causal = false): Benchmark {
  return { kernel, dtype, B, H, S, D, causal };
}

/** The built-in RMSNorm: memory-bound, judged in GB/s against the copy roof. */
function rmsnorm(dtype: 'fp16' | 'bf16', rows: number, cols: number): Benchmark {
  return { kernel: 'rmsnorm', dtype, rows, cols };
}

/**
 * Small shapes: the CPU backend is a single-threaded C++ reference, and `pnpm bench` must finish
 * in under a minute on a 2-core machine.
 */
const cpuSuite: Benchmark[] = [
  shape('fp16', 1, 2, 128, 64),
  shape('bf16', 1, 2, 128, 64),
  shape('fp16', 1, 2, 256, 64, true),
  shape('fp16', 1, 1, 128, 128),
  rmsnorm('fp16', 256, 1024),
  // Rows that are not 16-byte aligned (4097 columns): the head and tail paths are guarded too.
  rmsnorm('bf16', 64, 4097),
];

/**
 * The reference document's configuration (B32 H8 S512 D64 fp16) plus long sequences, where
 * flash attention's O(S) memory matters, in both dtypes.
 */
const cudaSuite: Benchmark[] = (['fp16', 'bf16'] as const).flatMap((dtype) => [
  shape(dtype, 32, 8, 512, 64),
  shape(dtype, 8, 16, 2048, 128),
  shape(dtype, 2, 16, 8192, 128),
  shape(dtype, 16, 16, 1024, 64),
  shape(dtype, 4, 16, 4096, 128, true),
]).concat(
  // LLM hidden sizes: one row per token. Each moves 128 to 512 MB, far past the L2, so the figure is
  // DRAM bandwidth; 65536 x 1024 has short rows (a warp per row), the others long ones.
  (['fp16', 'bf16'] as const).flatMap((dtype) => [rmsnorm(dtype, 8192, 4096), rmsnorm(dtype, 16384, 8192), rmsnorm(dtype, 65536, 1024)]),
);

const cpuBudget: MeasureBudget = {
  warmup: 2,
  minSamples: 10,
  maxSamples: 200,
  minTimeMs: 300,
  maxTimeMs: 3_000,
  targetRelCiHalfWidth: 0.01,
  l2Flush: false,
  launchesPerSample: 1,
  // The CPU backend times one call per sample, on a 1 ns clock.
  minSampleTicks: 0,
};

/** Cold L2 per sample: the default shapes move far more than the 50 MB L2, so this is what users see. */
const cudaBudget: MeasureBudget = {
  warmup: 10,
  minSamples: 30,
  maxSamples: 2_000,
  minTimeMs: 200,
  maxTimeMs: 3_000,
  targetRelCiHalfWidth: 0.005,
  l2Flush: true,
  launchesPerSample: 1,
  // 100 ticks of a CUDA event (50 us): the tick is then at most 1% of a sample, and its bias
  // bound at most 0.17% of a ratio. Not more, so the default shapes (85 us and up) keep one cold
  // launch per sample, as their baselines were measured.
  minSampleTicks: 100,
};

export const defaultSuites: Record<Backend, Benchmark[]> = { cpu: cpuSuite, cuda: cudaSuite };

/** Everything ratchet.config.json may override, with the reference document's thresholds. */
export const defaultConfig: RatchetConfig = {
  plugins: [],
  processes: [],
  suites: defaultSuites,
  thresholds: {
    regressionPct: 3, relativeRegressionPct: 1.5, improvementPct: 5, alpha: 0.05,
    // Holm over the run (README, "How a verdict is reached"); 1% run to run, the offset between
    // machines, days and drivers that issue 13 measured false alarms against; a first figure
    // stored only when steadier than 10% robust cv.
    suiteControl: 'holm', runToRunPct: 1, newEntryMaxCvPct: 10,
  },
  budgets: { cpu: cpuBudget, cuda: cudaBudget },
  paths: {
    baseline: '.ratchet/baseline.json',
    moves: '.ratchet/history.jsonl',
    tuning: '.ratchet/tuning.json',
    results: 'results/current.json',
    report: 'results/report.md',
    comparison: 'results/comparison.json',
  },
};

/** The SDPA backends the shipped PyTorch peer forces, one variant of its problem each. */
export const torchSdpaBackends = ['flash', 'efficient', 'cudnn', 'math'] as const;

/**
 * The peers `ratchet sota` runs by default: PyTorch SDPA with each backend forced, each in a
 * process of its own. `python` is the interpreter to use (the CLI's --python), `script` the
 * peer's path, `timeoutMs` how long one request may go unanswered.
 */
export function defaultPeers(options: { python: string; script: string; timeoutMs?: number }): PeerSpec[] {
  return torchSdpaBackends.map((backend) => ({
    name: `torch-sdpa/${backend}`,
    command: [options.python, options.script],
    variant: backend,
    timeoutMs: options.timeoutMs ?? defaultProcessTimeoutMs,
  }));
}
