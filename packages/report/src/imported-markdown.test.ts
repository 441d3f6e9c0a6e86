import type { BenchmarkComparison, Comparison } from '@ratchet/types';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

const meanStd = { kind: 'mean-std', n: 499, meanMs: 1.0034, stdMs: 0.0006 } as const;
const single = (valueMs: number) => ({ kind: 'single', valueMs, statistic: 'value perf_report wrote', roundingMs: 5e-5 }) as const;
const base: Omit<BenchmarkComparison, 'id' | 'verdict' | 'reason'> = {
  baseline: null, current: null, ratio: null, ratioCi95: null, changePct: null, pValue: null, tflops: null, variant: 'default',
};
const results: BenchmarkComparison[] = [
  { ...base, id: 'softmax-performance/Triton/N4096', verdict: 'regression', ratio: 1.248, changePct: 24.8, evidence: 'none', reported: { baseline: single(0.0222), current: single(0.0277) }, reason: '24.8% slower, past the 3% threshold; no statistics: one number a side (value perf_report wrote), a threshold check only' },
  { ...base, id: 'simple', verdict: 'unchanged', ratio: 1.0, ratioCi95: [0.99, 1.01], changePct: 0, pValue: 0.9, evidence: 'summary', reported: { baseline: meanStd, current: meanStd }, reason: "0.0% faster (95% CI -1.0%..+1.0%), p = 0.900, the whole CI is within -5%..+3%; summary-based test: Welch's t on log means" },
];
const comparison: Comparison = {
  schemaVersion: 2, createdAt: '2026-12-06T00:00:00.000Z', git: null,
  device: { backend: 'cuda', name: 'NVIDIA H100 80GB HBM3', deviceKey: 'triton/NVIDIA-H100-80GB-HBM3', computeCapability: null, multiprocessorCount: 0, l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null },
  timing: { clock: 'cuda-events', warmup: 0, l2Flush: true, launchesPerSample: 1 },
  thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 },
  results, counts: { regression: 1, improvement: 0, unchanged: 1, new: 0, missing: 0, invalid: 0, inconclusive: 0 },
  imported: { format: 'triton', harness: 'triton', harnessVersion: null, files: ['out/softmax-performance.csv'] },
};

describe('an imported run in the report', () => {
  const markdown = renderMarkdown(comparison);

  it('says under the verdict who timed it, that Ratchet checked none of its outputs, and how many verdicts rest on summaries or on no statistics', () => {
    expect(markdown.split('\n').slice(0, 8).join('\n')).toMatchInlineSnapshot(`
      "# Performance Ratchet Report

      ❌ **1 regression** · 1 unchanged — 2 benchmarks on NVIDIA H100 80GB HBM3

      **Imported** from triton (\`--from triton\`): timed by the harness; its outputs are **not checked by Ratchet**.  
      1 verdict from the harness's statistics alone (summary-based test, no samples): the reason names the test.  
      1 verdict with **no statistics** (one number a side): a threshold check only, which cannot tell a change from noise.
      "
    `);
  });

  it('marks a change with no statistics as such, gives no CI it did not have, and shows each side\'s reported figure and what it is', () => {
    expect(markdown).toContain('| ❌\u00a0regression | softmax-performance/Triton/N4096 | **+24.8%** (no statistics) | — |');
    expect(markdown).toContain('| simple | 1.003 ms (mean, n=499) | 1.003 ms (mean, n=499) |');
    expect(markdown).toContain('| softmax-performance/Triton/N4096 | 0.02220 ms (value perf\\_report wrote) | 0.02770 ms (value perf\\_report wrote) |');
    expect(markdown).toContain('- **Timing**: by triton (out/softmax-performance.csv); outputs not checked by Ratchet');
  });
});
