import { describe, expect, it } from 'vitest';
import type { Benchmark, MeasureBudget } from '@ratchet/types';
import { jsBackend } from '../test/js-backend.js';
import { runPipeline, runRelativePipeline } from './pipeline.js';

const benchmarks: Benchmark[] = [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 48, D: 16, causal: false }];
const budget: MeasureBudget = { warmup: 2, minSamples: 30, maxSamples: 120, minTimeMs: 5, maxTimeMs: 2_000, targetRelCiHalfWidth: 0.02, l2Flush: false, launchesPerSample: 1 };
// Wide thresholds: the sample sets are timed for real on a shared machine; a 4x slowdown is far past them.
const thresholds = { regressionPct: 30, relativeRegressionPct: 30, improvementPct: 30, alpha: 0.05 };
const git = { sha: 'a'.repeat(40), branch: 'main', dirty: false };

async function firstRun() {
  const outcome = await runPipeline({ backend: jsBackend(), benchmarks, budget, thresholds, baseline: null, git, ratchet: true });
  return outcome.next.baseline;
}

describe('runPipeline', () => {
  it('first run: new, a ratchet step that stores it, a gate that passes', async () => {
    const events: string[] = [];
    const outcome = await runPipeline({ backend: jsBackend(), benchmarks, budget, thresholds, baseline: null, git, ratchet: true, onEvent: (e) => events.push(e.kind) });
    expect(outcome.comparison.counts.new).toBe(1);
    expect(outcome.next.events.map((e) => e.event)).toEqual(['new']);
    expect(outcome.gate.passed).toBe(true);
    expect(events).toContain('measured');
    expect(JSON.parse(outcome.json)).toEqual(JSON.parse(JSON.stringify(outcome.comparison)));
  });

  it('says in one line that a baseline of other devices only makes everything new here', async () => {
    const baseline = await firstRun();
    const elsewhere = { ...baseline, devices: { 'NVIDIA-H100-80GB-HBM3/sm90': Object.values(baseline.devices)[0]! } };
    const notes: string[] = [];
    const outcome = await runPipeline({
      backend: jsBackend(), benchmarks, budget, thresholds, baseline: elsewhere, git, ratchet: false,
      onEvent: (e) => (e.kind === 'note' ? notes.push(e.text) : undefined),
    });
    expect(notes).toEqual(['the baseline has no entries for cpu/js-test (only NVIDIA-H100-80GB-HBM3/sm90): every benchmark is new on this device']);
    expect(outcome.comparison.counts.new).toBe(1);
  });

  it('refuses to run nothing', async () => {
    await expect(runPipeline({ backend: jsBackend(), benchmarks: [], budget, thresholds, baseline: null, git, ratchet: true })).rejects.toMatchObject({ code: 'ERR_RATCHET_USAGE' });
  });

  it('without ratchet the baseline given is the baseline returned, and no history line is made', async () => {
    const baseline = await firstRun();
    const outcome = await runPipeline({ backend: jsBackend(), benchmarks, budget, thresholds, baseline, git, ratchet: false });
    expect(outcome.next).toEqual({ baseline, events: [], changed: false });
  });

  it('a cross-run regression is confirmed interleaved against the baseline commit\'s build, and fails the gate', async () => {
    const baseline = await firstRun();
    const asked: string[] = [];
    const outcome = await runPipeline({
      backend: jsBackend({ slowdown: 4 }), benchmarks, budget, thresholds, baseline, git, ratchet: true,
      baseAt: async (sha) => (asked.push(sha), jsBackend()),
    });
    expect(asked).toEqual([git.sha]);
    const [result] = outcome.comparison.results;
    expect(result!.verdict).toBe('regression');
    expect(result!.reason).toMatch(/interleaved against aaaaaaaaaaaa, the baseline's commit; across runs, regression: /);
    expect(result!.sensitivity).toMatchObject({ rule: 'confirmation' });
    expect(outcome.gate).toMatchObject({ passed: false, failing: [result!.id] });
    expect(outcome.next.baseline).toEqual(baseline);
  });

  it('an unconfirmable cross-run change fails only with its whole CI past the threshold plus ten run-to-run spreads', async () => {
    const baseline = await firstRun();
    for (const baseAt of [undefined, async () => null]) {
      // 4x slower: past 30% + 10 x 1% (x1.44), short of 30% + 10 x 20% (x9.6).
      const far = await runPipeline({ backend: jsBackend({ slowdown: 4 }), benchmarks, budget, thresholds: { ...thresholds, runToRunPct: 1 }, baseline, git, ratchet: true, ...(baseAt ? { baseAt } : {}) });
      expect(far.comparison.results[0]).toMatchObject({ verdict: 'regression', reason: expect.stringMatching(/; not confirmed \((no base build|commit aaaaaaaaaaaa of its baseline entry could not be built here)[^)]*\), but the whole CI is past the 30% threshold plus 10 run-to-run spreads of 1\.0%/) });
      expect(far.gate.passed).toBe(false);
      const near = await runPipeline({ backend: jsBackend({ slowdown: 4 }), benchmarks, budget, thresholds: { ...thresholds, runToRunPct: 20 }, baseline, git, ratchet: true, ...(baseAt ? { baseAt } : {}) });
      expect(near.comparison.results[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/, but not confirmed: .*; unconfirmed, a change fails only with its whole CI past the 30% threshold plus 10 run-to-run spreads/) });
      expect(near.comparison.counts).toMatchObject({ regression: 0, inconclusive: 1 });
      expect(near.gate.passed).toBe(true);
    }
  });
});

describe('runRelativePipeline', () => {
  it('judges head against a base build measured interleaved, and gates on it', async () => {
    const outcome = await runRelativePipeline({
      head: jsBackend({ slowdown: 4 }), base: jsBackend(), baseInfo: { baseRef: 'main', baseSha: git.sha }, benchmarks, budget, thresholds, git,
    });
    expect(outcome.comparison.relative).toMatchObject({ baseRef: 'main', baseSha: git.sha, cost: { benchmarks: 1, skipped: 0 } });
    expect(outcome.comparison.results[0]!.verdict).toBe('regression');
    expect(outcome.base.git?.sha).toBe(git.sha);
    expect(outcome.gate.passed).toBe(false);
  });
});
