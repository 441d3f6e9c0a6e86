import type { Measurement, ReportedStatistics } from '@ratchet/types';
import { describe, expect, it } from 'vitest';
import { lognormal, measurement, run, seeded } from '../test/fixtures.js';
import { compare } from './compare.js';
import { ratchet } from './ratchet.js';

const thresholds = { regressionPct: 3, improvementPct: 5, alpha: 0.05, runToRunPct: 1 };
const at = { sha: 'abc', time: '2026-12-06T00:00:00.000Z' };

/** An imported measurement with no samples: what the harness reported, correctness unchecked. */
function reported(S: number, stats: ReportedStatistics): Measurement {
  return { ...measurement(S, [1]), samplesMs: [], summary: null, reported: stats, correctness: null, stopReason: null };
}

/** The baseline a first (ratchet) run of `first` leaves, and the verdict of `second` against it. */
function judgeAfter(first: Measurement, second: Measurement) {
  const baseline = ratchet(null, run([first]), compare(run([first]), null, thresholds), at).baseline;
  return { baseline, result: compare(run([second]), baseline, thresholds).results[0]! };
}

const meanStd = (meanMs: number, cv = 0.01, n = 500): ReportedStatistics => ({ kind: 'mean-std', n, meanMs, stdMs: meanMs * cv });
const single = (valueMs: number, roundingMs = 0): ReportedStatistics => ({ kind: 'single', valueMs, statistic: 'median', roundingMs });

describe('summaries only: a summary-based test, and the report says which', () => {
  it('stores a steady reported figure as new, with no samples and no invented summary', () => {
    const m = reported(512, meanStd(1));
    const comparison = compare(run([m]), null, thresholds);
    expect(comparison.results[0]).toMatchObject({ verdict: 'new', evidence: 'summary', current: null, reported: { baseline: null, current: meanStd(1) } });
    const entry = ratchet(null, run([m]), comparison, at).baseline.devices['Test-GPU/sm90']!.benchmarks[m.id]!;
    expect(entry).toMatchObject({ summary: null, samplesMs: [], reported: meanStd(1), runMedians: [{ sha: 'abc', medianMs: 1 }] });
  });

  it('10% slower by mean and standard deviation over 500 samples is a regression by Welch\'s t, named in the reason', () => {
    const { result } = judgeAfter(reported(512, meanStd(1)), reported(512, meanStd(1.1)));
    expect(result.verdict).toBe('regression');
    expect(result.evidence).toBe('summary');
    expect(result.reason).toMatch(/^10\.0% slower \(95% CI \+\d+\.\d%\.\.\+\d+\.\d%\), p < 0\.001, the whole CI is past the 3% threshold; summary-based test: Welch's t on log means \(from mean and standard deviation\), n = 500 and 500, samples taken as independent; run-to-run spread 1\.0% included/);
    expect(result.ratioCi95![0]).toBeGreaterThan(1.03);
  });

  it('the same figure again is unchanged; 2% slower is not called unchanged while the run-to-run spread lets the CI reach past 3%', () => {
    expect(judgeAfter(reported(512, meanStd(1)), reported(512, meanStd(1))).result.verdict).toBe('unchanged');
    expect(judgeAfter(reported(512, meanStd(1)), reported(512, meanStd(1.02))).result.verdict).toBe('inconclusive');
  });

  it('too few samples behind a summary give no verdict, whatever the means say', () => {
    const { result } = judgeAfter(reported(512, meanStd(1, 0.01, 5)), reported(512, meanStd(1.5, 0.01, 5)));
    expect(result).toMatchObject({ verdict: 'inconclusive', pValue: null, ratioCi95: null });
    expect(result.reason).toMatch(/too few samples behind the reported statistics: n = 5/);
  });

  it('a side with samples is reduced to the statistics the other side reported (median and quartiles here)', () => {
    const samples = lognormal(seeded(5), 200, 1, 0.01);
    const base = measurement(512, samples);
    const head = reported(512, { kind: 'median-iqr', n: 200, medianMs: 1.2, p25Ms: 1.19, p75Ms: 1.21 });
    const { result } = judgeAfter(base, head);
    expect(result.verdict).toBe('regression');
    expect(result.reason).toMatch(/Welch's t on log medians \(from median and quartiles, as for normal samples\), n = 200 and 200/);
  });

  it('two kinds of statistics (means against medians) are not compared', () => {
    const { result } = judgeAfter(reported(512, meanStd(1)), reported(512, { kind: 'median-iqr', n: 50, medianMs: 2, p25Ms: 1.9, p75Ms: 2.1 }));
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/different statistics \(mean-std and median-iqr\)/);
  });
});

describe('one number a side: a threshold check, marked "no statistics", never a CI', () => {
  it('12% slower is past the threshold: a regression with no p-value and no CI', () => {
    const { result } = judgeAfter(reported(512, single(2)), reported(512, single(2.24)));
    expect(result).toMatchObject({ verdict: 'regression', evidence: 'none', pValue: null, ratioCi95: null });
    expect(result.changePct).toBeCloseTo(12, 9);
    expect(result.reason).toBe('12.0% slower, past the 3% threshold; no statistics: one number a side (median), a threshold check only, which cannot tell a change from noise (ratchet run --command repeats the harness for a test)');
  });

  it('rounding that could carry the change across the threshold makes it inconclusive', () => {
    // 1.0 against 1.1 with one decimal kept: anything from 1.05 to 1.15 against 0.95 to 1.05.
    const { result } = judgeAfter(reported(512, single(1.0, 0.05)), reported(512, single(1.1, 0.05)));
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/^10\.0% slower, the numbers' rounding reaches across a threshold \(\+0\.0%\.\.\+21\.1%\); no statistics/);
  });

  it('a number against samples compares with their median, and stays a threshold check', () => {
    const { result } = judgeAfter(measurement(512, lognormal(seeded(2), 100, 1, 0.01)), reported(512, single(1.001)));
    expect(result).toMatchObject({ verdict: 'unchanged', evidence: 'none', pValue: null });
  });

  it('takes no part in the run\'s Holm family (no p-value to rank), and the family counts the tests that were made', () => {
    const base = [reported(256, single(1)), reported(512, meanStd(1))];
    const baseline = ratchet(null, run(base), compare(run(base), null, thresholds), at).baseline;
    const comparison = compare(run([reported(256, single(1)), reported(512, meanStd(1))]), baseline, thresholds);
    expect(comparison.errorControl!.benchmarks).toBe(1);
  });
});
