import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { defaultConfig } from './defaults.js';
import { runPipeline, type PipelineEvent } from './pipeline.js';
import { simulatedBackend, type NoiseModel } from './simulated-backend.js';

const benchmarks: Benchmark[] = [{ kernel: 'flash_fwd', dtype: 'fp16', B: 8, H: 16, S: 2048, D: 128, causal: false }];
const git = { sha: 'a'.repeat(40), branch: 'main', dirty: false };
const { thresholds } = defaultConfig;
const budget = defaultConfig.budgets.cuda;
// 1% noise a sample and 1% (sd) between runs: a machine, day or driver apart.
const acrossRuns: NoiseModel = { medianMs: 1, sigma: 0.01, runSpread: 0.01 };

/**
 * The baseline measured on the base build, then, on the device's next run, the head build
 * `slowdown` times slower judged against it, with the base commit buildable on demand. Both builds
 * are variants of one simulated device and time on its virtual clock.
 */
async function headAgainstCommitted(seed: number, slowdown: number, model = acrossRuns) {
  const device = simulatedBackend(model, { seed, variants: { base: 1, head: slowdown } });
  const build = (variant: string): MeasureBackend => ({ device: device.device, open: (b, options) => device.open(b, { ...options, variant }) });
  const common = { benchmarks, budget, thresholds, git, now: device.now };
  const first = await runPipeline({ ...common, backend: build('base'), baseline: null, ratchet: true });
  device.nextRun();
  const events: PipelineEvent[] = [];
  const asked: string[] = [];
  const outcome = await runPipeline({
    ...common, backend: build('head'), baseline: first.next.baseline, ratchet: false, onEvent: (event) => events.push(event),
    baseAt: async (sha) => (asked.push(sha), build('base')),
  });
  return { result: outcome.comparison.results[0]!, outcome, asked, confirmed: events.some((e) => e.kind === 'confirm') };
}

describe('cross-run changes past the threshold are confirmed against the baseline\'s commit', () => {
  it('a 5% slowdown the committed baseline cannot decide (inconclusive) is measured again interleaved and fails', async () => {
    let escalated = 0;
    for (let seed = 1; seed <= 8; seed += 1) {
      const { result, outcome, asked } = await headAgainstCommitted(seed, 1.05);
      expect(asked).toEqual([git.sha]);
      expect(result.verdict).toBe('regression');
      expect(outcome.gate.passed).toBe(false);
      expect(result.reason).toMatch(/paired turn by turn .* \(interleaved against aaaaaaaaaaaa, the baseline's commit; across runs, (regression|inconclusive): /);
      if (/across runs, inconclusive: /.test(result.reason)) escalated += 1;
    }
    // Across runs alone (1% run to run, 3% threshold) most of these were "the CI reaches across".
    expect(escalated).toBeGreaterThanOrEqual(4);
  });

  it('an unchanged build whose run landed past the threshold is measured again and found unchanged', async () => {
    let confirmedUnchanged = 0;
    // Runs 3% apart (sd): a quarter of them land past the 3% threshold by themselves.
    for (let seed = 20; seed <= 60 && confirmedUnchanged < 2; seed += 1) {
      const { result, confirmed } = await headAgainstCommitted(seed, 1, { ...acrossRuns, runSpread: 0.03 });
      expect(result.verdict).not.toBe('regression');
      if (confirmed) {
        expect(result.verdict).toBe('unchanged');
        expect(result.reason).toMatch(/across runs, (inconclusive|regression): /);
        confirmedUnchanged += 1;
      }
    }
    expect(confirmedUnchanged).toBe(2);
  });

  it('states the sensitivity of both stages: the larger of the estimate landing past the threshold and the confirmation\'s own', async () => {
    const { result, outcome } = await headAgainstCommitted(3, 1.05);
    expect(result.sensitivity!.rule).toBe('confirmation');
    expect(result.sensitivity!.mdcPct).toBeGreaterThan(thresholds.regressionPct);
    expect(outcome.comparison.sensitivity).toMatchObject({ aimPct: 6, benchmarks: 1 });
  });
});
