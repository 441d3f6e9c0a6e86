import { describe, expect, it } from 'vitest';
import type { BenchmarkComparison, Comparison, Summary } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

const summary = (median: number): Summary => ({
  n: 100, mean: median, median, std: 0.01, cv: 0.01, min: median * 0.98, max: median * 1.02, p05: median, p25: median,
  p75: median, p95: median, p99: median, ci95Mean: [median, median], ci95Median: [median * 0.99, median * 1.01],
});
const result = (id: string, verdict: BenchmarkComparison['verdict'], base: number | null, current: number | null): BenchmarkComparison => ({
  id, verdict, baseline: base === null ? null : summary(base), current: current === null ? null : summary(current),
  ratio: base && current ? current / base : null, ratioCi95: base && current ? [(current / base) * 0.99, (current / base) * 1.01] : null,
  changePct: base && current ? (current / base - 1) * 100 : null, pValue: base && current ? 0.001 : null, reason: '', tflops: current ? 123.4 : null, variant: 'v',
});
const comparison = (results: BenchmarkComparison[]): Comparison => ({
  schemaVersion: 2, createdAt: '2026-11-23T00:00:00.000Z', git: { sha: '0123456789abcdef', branch: 'main', dirty: false },
  device: { backend: 'cuda', name: 'NVIDIA H100 80GB HBM3', deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', computeCapability: '9.0', multiprocessorCount: 132, l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null },
  timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 },
  thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 },
  results,
  counts: { regression: 0, improvement: 0, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0, ...Object.fromEntries(results.map((r) => [r.verdict, results.filter((x) => x.verdict === r.verdict).length])) },
});

describe('renderMarkdown', () => {
  it('renders header, summary and one table per verdict, regressions first', () => {
    expect(renderMarkdown(comparison([result('flash_fwd/fp16/B32_H8_S512_D64', 'regression', 0.1, 0.11), result('flash_fwd/bf16/B1_H1_S64_D64', 'new', null, 0.05)]))).toMatchInlineSnapshot(`
      "# Performance Ratchet Report

      - **Device**: NVIDIA H100 80GB HBM3 (\`NVIDIA-H100-80GB-HBM3/sm90\`)
      - **Commit**: \`0123456789ab\` on main
      - **Timing**: cuda-events, 10 warm-up, L2 flush on, 1 launch(es) per sample
      - **Thresholds**: regression > +3%, improvement < -5%, significance α = 0.05

      ## Summary

      - Total benchmarks: 2
      - Regression: 1
      - Inconclusive: 0
      - Invalid: 0
      - Improvement: 0
      - New: 1
      - Missing: 0
      - Unchanged: 0

      ## ❌ Regressions

      | Benchmark | Baseline | Current | Change | 95% CI | TFLOP/s | Verdict |
      |---|---|---|---|---|---|---|
      | flash\\_fwd/fp16/B32\\_H8\\_S512\\_D64 | 0.1000 ms | 0.1100 ms | **+10.0%** | +8.9%..+11.1% | 123 | regression |

      ## 🆕 New

      | Benchmark | Baseline | Current | Change | 95% CI | TFLOP/s | Verdict |
      |---|---|---|---|---|---|---|
      | flash\\_fwd/bf16/B1\\_H1\\_S64\\_D64 | — | 0.05000 ms | — | — | 123 | new |

      **1 regression**
      "
    `);
  });

  it('says "No regressions detected" when there are none', () => {
    expect(renderMarkdown(comparison([result('a/fp16/B1_H1_S1_D1', 'unchanged', 1, 1)]))).toMatch(/✅ No regressions detected\n$/);
  });

  it('collapses a long unchanged section', () => {
    const many = Array.from({ length: 8 }, (_, i) => result(`flash_fwd/fp16/B${i + 1}_H1_S64_D64`, 'unchanged', 1, 1));
    expect(renderMarkdown(comparison(many))).toMatch(/<details><summary>8 benchmarks<\/summary>/);
  });

  it('escapes a hostile benchmark name so it cannot break the table or inject HTML', () => {
    const text = renderMarkdown(comparison([result('x|y<img src=x onerror=alert(1)>*[link](http://e)\nrow', 'new', null, 1)]));
    const line = text.split('\n').find((l) => l.startsWith('| x'))!;
    expect(line).toBe('| x\\|y\\<img src=x onerror=alert\\(1\\)\\>\\*\\[link\\]\\(http://e\\) row | — | 1.000 ms | — | — | 123 | new |');
  });

  it('truncates at a row boundary under maxChars and links the artifact', () => {
    const many = Array.from({ length: 400 }, (_, i) => result(`flash_fwd/fp16/B${i + 1}_H1_S64_D64`, 'regression', 1, 1.1));
    const text = renderMarkdown(comparison(many), { maxChars: 5_000, artifactUrl: 'https://example.test/artifact' });
    expect(text.length).toBeLessThanOrEqual(5_000);
    expect(text).toMatch(/_Report truncated: \d+ characters is over the limit\._ \[Full report\]\(https:\/\/example\.test\/artifact\)\n$/);
    expect(text.split('\n').filter((l) => l.startsWith('| flash_fwd')).every((l) => l.endsWith('| regression |'))).toBe(true);
  });
});

describe('escapeMarkdown and renderJson', () => {
  it('escapes markdown metacharacters and folds newlines', () => {
    expect(escapeMarkdown('a_b*c`d\ne')).toBe('a\\_b\\*c\\`d e');
  });
  it('renders the comparison as stable JSON with a trailing newline', () => {
    const c = comparison([]);
    expect(JSON.parse(renderJson(c))).toEqual(c);
    expect(renderJson(c).endsWith('}\n')).toBe(true);
  });
});
