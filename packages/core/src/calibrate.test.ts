import { describe, expect, it } from 'vitest';
import type { Benchmark, MeasureBudget } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import { calibrateBenchmark } from './calibrate.js';

const benchmark: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 16, D: 8, causal: false };
const budget: MeasureBudget = { warmup: 1, minSamples: 5, maxSamples: 20, minTimeMs: 1, maxTimeMs: 200, targetRelCiHalfWidth: 0.05, l2Flush: false, launchesPerSample: 1 };

describe('calibrateBenchmark', () => {
  it('a kernel that fails its check is the user\'s kernel failing (exit 1), not an internal error', async () => {
    await expect(calibrateBenchmark(jsBackend({ corrupt: true }), benchmark, {
      budget, thresholds: { regressionPct: 3, relativeRegressionPct: 1.5, improvementPct: 5, alpha: 0.05 }, regressionPcts: [1.5], trials: 1, slowdownsPct: [], sensitivityTrials: 0,
    })).rejects.toMatchObject({ code: 'ERR_RATCHET_KERNEL_FAILED', message: expect.stringMatching(/^flash_fwd\/fp16\/B1_H1_S16_D8 failed its correctness check, so it cannot be calibrated: relative error/) });
  });
});
