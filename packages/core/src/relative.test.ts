import { describe, expect, it } from 'vitest';
import { compare } from '@ratchet/baseline';
import type { Benchmark } from '@ratchet/types';
import { defaultConfig } from './defaults.js';
import { baselineFromRun, measureRelative, sameSessionThresholds } from './relative.js';
import { simulatedBackend } from './simulated-backend.js';
import type { MeasureBackend } from './backend.js';

const benchmark: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 8, H: 16, S: 2048, D: 128, causal: false };
const baseInfo = { baseRef: 'HEAD~1', baseSha: 'b'.repeat(40) };
// A 1% slowdown is judged at a 0.5% same-session threshold (what calibrate asks of the H200).
const thresholds = { ...defaultConfig.thresholds, relativeRegressionPct: 0.5 };

/**
 * Head and base as two builds on one simulated device whose clock wanders as the H200's did at
 * its power cap (2.5% over hundreds of samples, lag-1 0.995 per sample) under 0.4% noise: the
 * head runs `slowdown` times the base's time.
 */
function onWanderingClock(seed: number, slowdown: number): { head: MeasureBackend; base: MeasureBackend; now: () => number } {
  const device = simulatedBackend(
    { medianMs: 0.5, sigma: 0.004, wander: { sigma: 0.025, autocorrelation: 0.995 } },
    { seed, variants: { base: 1, head: slowdown } },
  );
  const side = (variant: string): MeasureBackend => ({ device: device.device, open: (b, options) => device.open(b, { ...options, variant }) });
  return { head: side('head'), base: side('base'), now: device.now };
}

async function relative(seed: number, slowdown: number) {
  // The device's virtual clock, not the wall's: a loaded machine must not cut the budget short.
  const { head, base, now } = onWanderingClock(seed, slowdown);
  return measureRelative({ head, base, baseInfo, benchmarks: [benchmark], budget: defaultConfig.budgets.cuda, thresholds, git: null, createdAt: '2026-12-02T00:00:00.000Z', now });
}

describe('measureRelative on a wandering clock', () => {
  it('records the turns both sides took, the same number on each, adding up to their samples', async () => {
    const { head, base } = await relative(1, 1);
    const [h, b] = [head.measurements[0]!, base.measurements[0]!];
    expect(h.sampleTurns!.length).toBe(b.sampleTurns!.length);
    expect(h.sampleTurns!.reduce((sum, n) => sum + n, 0)).toBe(h.samplesMs.length);
    expect(b.sampleTurns!.reduce((sum, n) => sum + n, 0)).toBe(b.samplesMs.length);
  });

  it('calls a 1% slowdown a regression turn by turn, where the two sample sets as wholes cannot tell it from the wander', async () => {
    let paired = 0;
    let whole = 0;
    for (let seed = 10; seed < 30; seed += 1) {
      const outcome = await relative(seed, 1.01);
      const result = outcome.comparison.results[0]!;
      if (result.verdict === 'regression') paired += 1;
      expect(result.reason).toMatch(/paired turn by turn \(\d+ turns/);
      expect(result.paired!.turns).toBeGreaterThan(6);
      // The same samples judged as two unpaired sets, as before the turns were kept.
      const unpaired = compare(outcome.head, baselineFromRun(outcome.base), sameSessionThresholds(thresholds), { looks: 2 }).results[0]!;
      if (unpaired.verdict === 'regression') whole += 1;
    }
    expect(paired).toBeGreaterThanOrEqual(19);
    expect(whole).toBeLessThanOrEqual(5);
  });

  it('never calls an A/A comparison a regression or an improvement', async () => {
    for (let seed = 100; seed < 120; seed += 1) {
      const result = (await relative(seed, 1)).comparison.results[0]!;
      expect(['unchanged', 'inconclusive']).toContain(result.verdict);
    }
  });
});

describe('measureRelative at the timer\'s tick, unbatched', () => {
  // The boundary case: a 20.25 us kernel timed one launch a sample by 0.5 us events (half a tick
  // past 40), noise far below a tick, so most samples read 20.0 or 20.5 us; a true +0.5% head.
  async function atTheTick(seed: number, sigma: number) {
    const device = simulatedBackend({ medianMs: 0.02025, sigma, tickMs: 0.0005 }, { seed, variants: { base: 1, head: 1.005 } });
    const side = (variant: string): MeasureBackend => ({ device: device.device, open: (b, options) => device.open(b, { ...options, variant }) });
    const budget = { ...defaultConfig.budgets.cuda, minSampleTicks: 0 };
    const judged = { ...defaultConfig.thresholds, relativeRegressionPct: 0.5 };
    const outcome = await measureRelative({ head: side('head'), base: side('base'), baseInfo, benchmarks: [benchmark], budget, thresholds: judged, git: null, now: device.now });
    return outcome.comparison.results[0]!;
  }

  it('covers the true +0.5% with the paired CI and calls it no regression at a 0.5% threshold', async () => {
    let covered = 0;
    let regressions = 0;
    let trials = 0;
    for (const sigma of [0.002, 0.005]) {
      for (let seed = 1; seed <= 20; seed += 1) {
        const result = await atTheTick(seed, sigma);
        expect(result.paired!.turns).toBeGreaterThan(12);
        trials += 1;
        if (result.ratioCi95![0] <= 1.005 && result.ratioCi95![1] >= 1.005) covered += 1;
        if (result.verdict === 'regression') regressions += 1;
      }
    }
    // Per-turn plain medians read it as +1.1%: these same comparisons covered it 82.5% of the time.
    expect(covered / trials).toBeGreaterThanOrEqual(0.95);
    expect(regressions).toBe(0);
  });
});
