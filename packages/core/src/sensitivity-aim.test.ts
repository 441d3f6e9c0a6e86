import { describe, expect, it } from 'vitest';
import { lognormal, seededRandom } from '@ratchet/stats';
import type { Benchmark, MeasureBudget } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { defaultConfig } from './defaults.js';
import { measureRelative } from './relative.js';
import { aimFor, sideMeetsAim } from './sensitivity-aim.js';
import { simulatedBackend, type NoiseModel } from './simulated-backend.js';
import { stopReason } from './stopping-rule.js';

const benchmark: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 8, H: 16, S: 2048, D: 128, causal: false };
const { thresholds } = defaultConfig;
const budget = defaultConfig.budgets.cuda;

/** One interleaved comparison of two builds of the same code, judged as one of `family` benchmarks, on the device's virtual clock. */
async function paired(seed: number, model: NoiseModel, family: number, pairBudget: MeasureBudget = budget) {
  const device = simulatedBackend(model, { seed });
  const build: MeasureBackend = { device: device.device, open: (b, options) => device.open(b, options) };
  const outcome = await measureRelative({
    head: build, base: build, baseInfo: { baseRef: 'main', baseSha: 'b'.repeat(40) }, benchmarks: [benchmark], budget: pairBudget, thresholds,
    git: null, familySize: family, now: device.now,
  });
  return { result: outcome.comparison.results[0]!, head: outcome.head.measurements[0]! };
}

describe('the budget aims at the threshold', () => {
  it('samples a comparison of a 16-benchmark pull request until it could catch twice the threshold, past where a lone one stops', async () => {
    const model = { medianMs: 1, sigma: 0.04 };
    for (let seed = 1; seed <= 5; seed += 1) {
      const alone = await paired(seed, model, 1);
      const inSixteen = await paired(seed, model, 16);
      expect(inSixteen.head.stopReason).toBe('converged');
      // Twice the 1.5% same-session threshold, at the level of a 16-benchmark pull request.
      expect(inSixteen.result.sensitivity!.mdcPct).toBeLessThanOrEqual(3);
      expect(inSixteen.result.paired!.turns).toBeGreaterThanOrEqual(14);
      expect(inSixteen.head.samplesMs.length).toBeGreaterThan(alone.head.samplesMs.length);
    }
  });

  it('stops at the cap when the noise allows no better, and the verdict says which cap came first', async () => {
    const { result, head } = await paired(7, { medianMs: 1, sigma: 0.05 }, 16, { ...budget, maxTimeMs: 300 });
    expect(head.stopReason).toBe('time-budget');
    expect(result.sensitivity!.mdcPct === null || result.sensitivity!.mdcPct > 3).toBe(true);
    expect(result.reason).toMatch(/; could catch (only \+\d+\.\d% or more|no slowdown): the time cap came before it could catch \+3% \(twice the threshold\)/);
  });

  it('keeps a side measured across runs going until its estimate would land past the threshold at twice it', () => {
    const aim = aimFor(thresholds, 3, 16, 2, 1);
    const sorted = (n: number, sigma: number) => Float64Array.from(lognormal(seededRandom(3), n, 1, sigma)).sort();
    // 40 samples at 5% noise meet a 5% CI target, but not the aim; 400 do.
    const loose = { ...budget, minSamples: 10, minTimeMs: 0, targetRelCiHalfWidth: 0.05 };
    expect(stopReason(sorted(40, 0.05), 10, loose)).toBe('converged');
    expect(stopReason(sorted(40, 0.05), 10, loose, 0, aim)).toBeNull();
    expect(stopReason(sorted(400, 0.05), 10, loose, 0, aim)).toBe('converged');
    // A run-to-run spread no sampling can beat asks for nothing more (the cap would be spent in vain).
    expect(sideMeetsAim(sorted(40, 0.05), 0, aimFor(thresholds, 3, 16, 2, 3))).toBe(true);
  });

  it('is alpha over the looks over the benchmarks, or over the looks alone without suite-wide control', () => {
    expect(aimFor(thresholds, 1.5, 16, 2).level).toBeCloseTo(0.05 / 32, 15);
    expect(aimFor({ ...thresholds, suiteControl: 'none' }, 1.5, 16, 2).level).toBeCloseTo(0.025, 15);
  });
});
