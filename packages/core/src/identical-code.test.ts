import { describe, expect, it } from 'vitest';
import { benchmarkId, type Benchmark, type MeasureBudget } from '@ratchet/types';
import { jsBackend, type JsBackendOptions } from '../test/js-backend.js';
import { identicalCodeReason } from './identical-code.js';
import { runRelativePipeline } from './pipeline.js';

const small: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 48, D: 16, causal: false };
const causal: Benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 40, D: 16, causal: true };
const third: Benchmark = { kernel: 'flash_fwd', dtype: 'bf16', B: 1, H: 1, S: 32, D: 16, causal: false };
const budget: MeasureBudget = { warmup: 2, minSamples: 30, maxSamples: 120, minTimeMs: 5, maxTimeMs: 2_000, targetRelCiHalfWidth: 0.02, l2Flush: false, launchesPerSample: 1 };
// Wide thresholds: the sample sets are timed for real on a shared machine; only the skip rule is studied here.
const thresholds = { regressionPct: 30, relativeRegressionPct: 30, improvementPct: 30, alpha: 0.05 };
const git = { sha: 'a'.repeat(40), branch: 'pr', dirty: false };
const baseInfo = { baseRef: 'main', baseSha: 'b'.repeat(40) };

/** A side whose every benchmark runs the code named by `codes` (by id), identities covering all of it. */
function side(codes: Record<string, string | null>, options: JsBackendOptions = {}) {
  return jsBackend({ kernelIdentity: (b) => codes[benchmarkId(b)] ?? null, identityCoversCode: true, ...options });
}

const id = benchmarkId;

describe('run --base skips what cannot have changed', () => {
  it('measures nothing where every benchmark runs identical code on both sides: unchanged, no sample, no measuring time', async () => {
    const codes = { [id(small)]: 'cpu:aaaa', [id(causal)]: 'cpu:bbbb' };
    const [head, base] = [side(codes), side(codes)];
    const outcome = await runRelativePipeline({ head, base, baseInfo, benchmarks: [small, causal], budget, thresholds, git });
    expect(outcome.comparison.results).toEqual([small, causal].map((b) => expect.objectContaining({
      id: id(b), verdict: 'unchanged', reason: identicalCodeReason, skipped: true, aa: true, current: null, baseline: null, changePct: null, variant: 'js',
    })));
    expect(outcome.comparison.counts.unchanged).toBe(2);
    expect(head.sampled + base.sampled).toBe(0);
    expect(outcome.head.measurements).toEqual([]);
    expect(outcome.comparison.relative!.cost).toEqual({ benchmarks: 2, skipped: 2, measureMs: 0, identityMs: expect.any(Number), notes: [] });
    expect(outcome.gate.passed).toBe(true);
    expect(outcome.markdown).toContain('2 of 2 benchmarks not measured: identical code on both sides');
  });

  it('measures the benchmark whose code differs and skips the others, keeping the suite order', async () => {
    const head = side({ [id(small)]: 'cpu:aaaa', [id(causal)]: 'cpu:bbbb', [id(third)]: 'cpu:cccc' }, { slowdown: 4 });
    const base = side({ [id(small)]: 'cpu:aaaa', [id(causal)]: 'cpu:b000', [id(third)]: 'cpu:cccc' });
    const outcome = await runRelativePipeline({ head, base, baseInfo, benchmarks: [small, causal, third], budget, thresholds, git });
    expect(outcome.comparison.results.map((r) => [r.id, r.verdict, r.skipped ?? false])).toEqual([
      [id(small), 'unchanged', true],
      [id(causal), 'regression', false],
      [id(third), 'unchanged', true],
    ]);
    expect(outcome.head.measurements.map((m) => m.id)).toEqual([id(causal)]);
    expect(outcome.comparison.counts).toMatchObject({ regression: 1, unchanged: 2 });
    expect(outcome.comparison.relative!.cost).toMatchObject({ benchmarks: 3, skipped: 2, notes: [] });
    expect(outcome.comparison.relative!.cost!.measureMs).toBeGreaterThan(0);
    expect(outcome.gate.passed).toBe(false);
  });

  it('measures equal identities that do not cover all the code timed, and says so', async () => {
    const codes = { [id(small)]: 'py:aaaa' };
    const outcome = await runRelativePipeline({
      head: side(codes, { identityCoversCode: false }), base: side(codes), baseInfo, benchmarks: [small], budget, thresholds, git,
    });
    const [result] = outcome.comparison.results;
    expect(result).toMatchObject({ verdict: 'unchanged', aa: true });
    expect(result!.skipped).toBeUndefined();
    expect(result!.current).not.toBeNull();
    expect(outcome.comparison.relative!.cost!.notes).toEqual([`${id(small)}: measured: their identity does not cover all the code they time (a process problem's own identity() without identity_covers_code)`]);
  });

  it('measures where one side has no identity, or identities of another architecture, with a line for each', async () => {
    const head = side({ [id(small)]: 'sm_90:aaaa', [id(causal)]: 'sm_90:bbbb' });
    const base = side({ [id(small)]: null, [id(causal)]: 'sm_80:bbbb' });
    const outcome = await runRelativePipeline({ head, base, baseInfo, benchmarks: [small, causal], budget, thresholds, git });
    expect(outcome.comparison.results.every((r) => r.skipped === undefined && r.current !== null)).toBe(true);
    expect(outcome.comparison.relative!.cost).toMatchObject({ skipped: 0, notes: [
      `${id(small)}: measured: no kernel identity on one side or both (a build without identities for this device, a process that reports none)`,
      `${id(causal)}: measured: their two identities are of different architectures`,
    ] });
  });

  it('measures identical code all the same when asked (--measure-identical), without opening anything to compare', async () => {
    const codes = { [id(small)]: 'cpu:aaaa' };
    const [head, base] = [side(codes), side(codes)];
    const outcome = await runRelativePipeline({
      head, base, baseInfo, benchmarks: [small], budget, thresholds, git, identical: { measureAllBecause: '--measure-identical: every benchmark measured' },
    });
    expect(outcome.comparison.results[0]).toMatchObject({ verdict: 'unchanged', aa: true });
    expect(outcome.comparison.results[0]!.skipped).toBeUndefined();
    expect(head.sampled).toBeGreaterThan(0);
    // Opened for the cost estimate and the measurement only: no identity check.
    expect(base.opened).toBe(1);
    expect(outcome.comparison.relative!.cost).toMatchObject({ benchmarks: 1, skipped: 0, identityMs: 0, notes: ['--measure-identical: every benchmark measured'] });
  });
});
