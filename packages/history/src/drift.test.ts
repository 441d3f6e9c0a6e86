import { describe, expect, it } from 'vitest';
import type { MoveEvent, RunRecord, RunRecordBenchmark } from '@ratchet/types';
import { detectDrift, driftReference, judgeSeries, type DriftPoint } from './drift.js';

const options = { regressionPct: 3, runToRunPct: 1 };

/** A seeded stream of standard normals (Box-Muller over a 32-bit LCG): the same series every run. */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Medians of `runs` runs on main, lognormal around 1 ms with run-to-run sd `sigma`, slower by `step` from run `at` on. */
function series(seed: number, runs: number, sigma: number, step = 0, at = runs): DriftPoint[] {
  const z = normals(seed);
  return Array.from({ length: runs }, (_, i) => ({ commit: `c${i}`, time: `2026-12-${String(1 + Math.floor(i / 4)).padStart(2, '0')}T0${i % 4}:00:00.000Z`, medianMs: Math.exp(sigma * z()) * (i >= at ? 1 + step : 1) }));
}

/** PyTorch HUD's rule, the floor to beat: the last two points both past 15% of the median of the ten before them. */
function hud(points: readonly DriftPoint[]): boolean {
  const medians = points.map((p) => p.medianMs);
  const reference = [...medians.slice(-12, -2)].sort((a, b) => a - b);
  const level = (reference[4]! + reference[5]!) / 2;
  return medians.slice(-2).every((value) => value > 1.15 * level);
}

const regression = (points: readonly DriftPoint[]) => judgeSeries('k', points, options)?.kind === 'regression';

/** Of `trials` series, the share each rule calls a regression at the check after run `runs`. */
function rates(trials: number, runs: number, sigma: number, step: number, at: number) {
  let ours = 0;
  let floor = 0;
  for (let trial = 0; trial < trials; trial += 1) {
    const points = series(1_000 * trial + Math.round(sigma * 1e4) + Math.round(step * 1e3), runs, sigma, step, at);
    if (regression(points)) ours += 1;
    if (hud(points)) floor += 1;
  }
  return { ours: ours / trials, hud: floor / trials };
}

describe('drift on main: the rule, against HUD\'s two points past 15%', () => {
  it('raises a false alarm in at most 1 of 1,000 checks of steady series at 0.5-8% run-to-run spread (5,000 each); HUD\'s in 2 of 1,000 at 8%', () => {
    for (const sigma of [0.005, 0.01, 0.02, 0.04, 0.08]) expect(rates(5_000, 30, sigma, 0, 30).ours, `sd ${sigma}`).toBeLessThanOrEqual(0.001);
    expect(rates(5_000, 30, 0.08, 0, 30).hud).toBeGreaterThan(0.002);
  });

  it('catches a 5% step on a kernel with a 1% spread 8 times in 10 two runs after it and 19 in 20 by the fourth, a 10% one every time; HUD\'s neither', () => {
    const trials = 500;
    expect(rates(trials, 30, 0.01, 0.05, 28).ours).toBeGreaterThan(0.8);
    let caught = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      const points = series(77_000 + trial, 32, 0.01, 0.05, 28);
      if ([30, 31, 32].some((end) => regression(points.slice(0, end)))) caught += 1;
    }
    expect(caught / trials).toBeGreaterThan(0.95);
    expect(rates(trials, 30, 0.01, 0.05, 28).hud).toBe(0);
    // Twice that, 10%: ours every time, HUD's still never.
    expect(rates(trials, 30, 0.01, 0.1, 28)).toEqual({ ours: 1, hud: 0 });
  });

  it('calls one slow run suspicious, not a regression; two a regression, with the commit before them to compare against', () => {
    const steady = series(7, 14, 0.005);
    const slow = (points: DriftPoint[], from: number) => points.map((p, i) => (i >= from ? { ...p, medianMs: p.medianMs * 1.1 } : p));
    expect(judgeSeries('k', steady, options)).toBeNull();
    expect(judgeSeries('k', slow(steady, 13), options)).toMatchObject({ kind: 'suspicious' });
    const step = judgeSeries('k', slow(steady, 12), options)!;
    expect(step).toMatchObject({ kind: 'regression', lastGood: { commit: 'c11' }, recent: [{ commit: 'c12' }, { commit: 'c13' }] });
    expect(step.changePct).toBeGreaterThan(8);
    expect(step.why).toBe('the last 2 runs slower than the median of the 10 before them by more than 3.0% (the larger of 3% and 3 run-to-run spreads)');
  });

  it('calls a creep of steps each inside the margin suspicious, against the start of the window', () => {
    // 0.3% slower a run for 30 runs: 9% in all, never 3% between a run and the ten before it.
    const creep = series(9, 30, 0.002).map((p, i) => ({ ...p, medianMs: p.medianMs * 1.003 ** i }));
    const finding = judgeSeries('k', creep, options)!;
    expect(finding).toMatchObject({ kind: 'suspicious', lastGood: { commit: `c${driftReference - 1}` } });
    expect(finding.why).toMatch(/^a creep: the last 2 runs slower than the first 10 of the last 30 by more than 3\.0%/);
  });

  it('says which benchmarks have too little data, and judges a benchmark only after its last accepted figure', () => {
    expect(judgeSeries('k', series(3, 4, 0.01), options)).toMatchObject({ kind: 'too-little-data', why: '4 runs on main with a median; a drift check needs 5' });
    const records: RunRecord[] = series(11, 14, 0.005).map((point, i) => ({
      schemaVersion: 1, project: null, time: point.time, commit: point.commit, branch: 'main', dirty: false, deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', deviceName: 'NVIDIA H100 80GB HBM3',
      peakTflops: null, peakGBps: null, timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 },
      benchmarks: [{ id: 'a', medianMs: point.medianMs * (i >= 12 ? 1.2 : 1) }, { id: 'b', medianMs: 1 }].map((b) => ({ kernel: 'k', dtype: null, status: 'ok', variant: 'v', kernelIdentity: null, ci95MedianMs: null, n: 100, smClockMHz: null, tflops: null, gbps: null, roof: null, roofFraction: null, ...b }) as RunRecordBenchmark),
    }));
    const [device] = detectDrift(records, options);
    expect(device).toMatchObject({ deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', runs: 14, latest: { commit: 'c13' } });
    expect(device!.findings.map((f) => [f.id, f.kind])).toEqual([['a', 'regression']]);
    // Slower on purpose, accepted after run 11: the series starts again there, too short to judge.
    const accepted: MoveEvent = { time: records[11]!.time, deviceKey: device!.deviceKey, benchmarkId: 'a', event: 'accept', fromMedianMs: 1, toMedianMs: 1.2, sha: 'c11', reason: 'on purpose' };
    expect(detectDrift(records, { ...options, accepted: [accepted] })[0]!.findings.map((f) => [f.id, f.kind])).toEqual([['a', 'too-little-data']]);
  });
});
