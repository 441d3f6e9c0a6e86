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
  const regressed = result('flash_fwd/fp16/B32_H8_S512_D64', 'regression', 0.1, 0.11);
  const improved = result('flash_fwd/fp16/B8_H16_S2048_D128', 'improvement', 1.2, 1.0);
  const added = result('flash_fwd/bf16/B1_H1_S64_D64', 'new', null, 0.05);

  it('gives a memory-bound benchmark its rate in GB/s, not TFLOP/s', () => {
    const norm = { ...result('rmsnorm/fp16/rows16384_cols8192', 'unchanged', 0.19, 0.19), tflops: 2.9, gbps: 2880.4, roof: 'memory' as const };
    const row = renderMarkdown(comparison([norm])).split('\n').find((line) => line.includes('0.1900 ms | 0.1900 ms'));
    expect(row).toContain('| 2880 GB/s |');
  });

  it('names which GPU of the host ran it, by index and UUID, where the device says', () => {
    const run = comparison([regressed]);
    const onSecond = { ...run, device: { ...run.device, index: 1, uuid: 'GPU-3f2a9c1e-0d4b-4a51-9e0c-1b2c3d4e5f60' } };
    expect(renderMarkdown(onSecond)).toContain('- **Device**: NVIDIA H100 80GB HBM3 (`NVIDIA-H100-80GB-HBM3/sm90`, device 1, `GPU-3f2a9c1e-0d4b-4a51-9e0c-1b2c3d4e5f60`)');
  });

  it('puts the verdict line first, then per verdict a four-column table, details folded away', () => {
    expect(renderMarkdown(comparison([regressed, added]))).toMatchInlineSnapshot(`
      "# Performance Ratchet Report

      ❌ **1 regression** · 1 new — 2 benchmarks on NVIDIA H100 80GB HBM3 at \`0123456789ab\`

      ## ❌ Regressions

      | Verdict | Benchmark | Change (95% CI) | p |
      |---|---|---|---|
      | ❌ regression | flash\\_fwd/fp16/B32\\_H8\\_S512\\_D64 | **+10.0%** (+8.9 … +11.1) | 0.001 |

      Slower on purpose? Record the figure as the baseline, with the reason kept in \`.ratchet/history.jsonl\`: \`ratchet accept flash_fwd/fp16/B32_H8_S512_D64 --reason "<why>"\` on these results.

      ## 🆕 New

      | Verdict | Benchmark | Change (95% CI) | p |
      |---|---|---|---|
      | 🆕 new | flash\\_fwd/bf16/B1\\_H1\\_S64\\_D64 | — | — |

      <details><summary>Details: medians, work rates, variants, the smallest slowdown each could catch, why each verdict, how this run was timed</summary>

      - **Device**: NVIDIA H100 80GB HBM3 (\`NVIDIA-H100-80GB-HBM3/sm90\`)
      - **Commit**: \`0123456789ab\` on main
      - **Timing**: cuda-events, 10 warm-up, L2 flush on, 1 launch(es) per sample
      - **Thresholds**: regression > +3%, improvement < -5%, significance α = 0.05

      | Benchmark | Baseline | Current | Rate | Variant | Catches | Why |
      |---|---|---|---|---|---|---|
      | flash\\_fwd/fp16/B32\\_H8\\_S512\\_D64 | 0.1000 ms | 0.1100 ms | 123 TFLOP/s | v | — | — |
      | flash\\_fwd/bf16/B1\\_H1\\_S64\\_D64 | — | 0.05000 ms | 123 TFLOP/s | v | — | — |

      </details>
      "
    `);
  });

  it('says "No regressions" when there are none and folds unchanged benchmarks away', () => {
    const text = renderMarkdown(comparison([result('a/fp16/B1_H1_S1_D1', 'unchanged', 1, 1)]));
    expect(text.split('\n')[2]).toBe('✅ **No regressions** · 1 unchanged — 1 benchmark on NVIDIA H100 80GB HBM3 at `0123456789ab`');
    expect(text).toMatch(/<details><summary>➖ Unchanged: 1<\/summary>/);
  });

  it('never heads a run "No regressions" while a benchmark slower past the threshold is inconclusive: "Not judged"', () => {
    const undecided = { ...result('a/fp16/B1_H1_S1_D1', 'inconclusive', 1, 4), reason: 'not confirmed: the baseline entry records no commit' };
    const faster = result('b/fp16/B1_H1_S1_D1', 'inconclusive', 1, 0.9);
    expect(renderMarkdown(comparison([undecided, faster, result('c/fp16/B1_H1_S1_D1', 'unchanged', 1, 1)])).split('\n')[2])
      .toBe('⚠️ **Not judged: 2 inconclusive** · 1 unchanged — 3 benchmarks on NVIDIA H100 80GB HBM3 at `0123456789ab`');
    // Inconclusive only on the faster side: no slowdown went unjudged.
    expect(renderMarkdown(comparison([faster])).split('\n')[2]).toMatch(/^✅ \*\*No regressions\*\* · 1 inconclusive — /);
  });

  it('states what the run could catch, per benchmark and for the run', () => {
    const caught = (id: string, mdcPct: number | null): BenchmarkComparison => ({ ...result(id, 'unchanged', 1, 1), sensitivity: { mdcPct, rule: 'interval' } });
    const results = [caught('a/fp16/B1_H1_S1_D1', 1.84), caught('b/fp16/B1_H1_S1_D1', 2.4), caught('c/fp16/B1_H1_S1_D1', 7.31)];
    const text = renderMarkdown({ ...comparison(results), sensitivity: { aimPct: 6, benchmarks: 3, withinAim: 2, mdcPct: 2.4, worstPct: 7.31 } });
    expect(text.split('\n')[4]).toBe('**Sensitivity**: this run could catch slowdowns of 2.4% or more on 2 of 3 benchmarks (aim: 6%, twice the 3% threshold); the other 1 only larger ones (up to 7.3%).');
    expect(text).toContain('| a/fp16/B1\\_H1\\_S1\\_D1 | 1.000 ms | 1.000 ms | 123 TFLOP/s | v | ≥\u00a0+1.8% | — |');
    const all = renderMarkdown({ ...comparison([caught('a/fp16/B1_H1_S1_D1', null)]), sensitivity: { aimPct: 6, benchmarks: 1, withinAim: 0, mdcPct: null, worstPct: null } });
    expect(all).toContain('**Sensitivity**: no comparison of this run could catch a slowdown of 6% (aim: 6%, twice the 3% threshold): only larger ones (some none at all: too few samples for a verdict at their level).');
    expect(all).toMatch(/\| v \| none \| — \|$/m);
  });

  it('words improvements and new benchmarks by what the run did to the baseline', () => {
    const headings = (options: Parameters<typeof renderMarkdown>[1]) =>
      renderMarkdown(comparison([improved, added]), options).split('\n').filter((l) => l.startsWith('## '));
    expect(headings({ baseline: 'updated' })).toEqual(['## ✅ Improvements (baseline updated)', '## 🆕 New (added to the baseline)']);
    expect(headings({ baseline: 'kept' })).toEqual(['## ✅ Improvements (judge-only run: baseline not updated)', '## 🆕 New (judge-only run: not added to the baseline)']);
    expect(headings({})).toEqual(['## ✅ Improvements', '## 🆕 New']);
    const relative = { ...comparison([improved]), relative: { baseRef: 'origin/main', baseSha: 'fedcba9876543210' } };
    expect(renderMarkdown(relative, { baseline: 'kept' })).toMatch(/^## ✅ Faster than the base$/m);
    expect(renderMarkdown(comparison([improved, added]), { baseline: 'kept' })).not.toMatch(/baseline updated/);
  });

  it("leads with what a pull request does to the gate that judged it: a looser threshold, a benchmark taken out", () => {
    const gate = {
      judgedWith: 'base' as const,
      thresholds: [{ key: 'relativeRegressionPct' as const, base: 1.5, head: 50, looser: true }, { key: 'improvementPct' as const, base: 5, head: 2, looser: false }],
      removed: [{ id: 'rmsnorm/bf16/rows64_cols4097', measured: true }, { id: 'softmax/fp16/rows8', measured: false, reason: 'no problem named softmax' }],
      changed: ['budgets.cuda'],
    };
    const relative = { ...comparison([improved]), relative: { baseRef: 'origin/main', baseSha: 'fedcba9876543210', gate } };
    expect(renderMarkdown(relative).split('\n').slice(2, 10)).toEqual([
      '✅ **No regressions** · 1 improvement — 1 benchmark on NVIDIA H100 80GB HBM3 at `0123456789ab`',
      '',
      "⚠️ **This pull request loosens the gate, and does not set it**: judged with the base's `ratchet.config.json` (`fedcba987654`).",
      '',
      '- `relativeRegressionPct`: 1.5 → 50 (looser: judged at 1.5)',
      '- `improvementPct`: 5 → 2 (judged at 5)',
      '- removed from the suite: rmsnorm/bf16/rows64\\_cols4097 (measured and judged all the same)',
      '- removed from the suite: softmax/fp16/rows8 (not measured: no problem named softmax)',
    ]);
    expect(renderMarkdown(relative)).toContain("- also changed, the base's used: `budgets.cuda`");
    const tighter = { ...relative, relative: { ...relative.relative, gate: { ...gate, thresholds: [gate.thresholds[1]!], removed: [], changed: [] } } };
    expect(renderMarkdown(tighter).split('\n')[4]).toBe("ℹ️ This pull request changes the gate: judged with the base's `ratchet.config.json` (`fedcba987654`).");
    const unchanged = { ...relative, relative: { ...relative.relative, gate: { ...gate, thresholds: [], removed: [], changed: [] } } };
    expect(renderMarkdown(unchanged)).not.toMatch(/gate/);
  });

  it('says which new benchmarks a first run on a noisy machine stored, which it did not, and why', () => {
    const noisy = (id: string) => ({ ...result(id, 'new', null, 0.05), unstable: true, reason: 'new, not stored yet: unstable (cv 14.2% > 10%); a steadier run will store it' });
    const judged = { ...comparison([added, noisy('rmsnorm/fp16/rows8_cols8'), noisy('rmsnorm/bf16/rows8_cols8')]), thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05, newEntryMaxCvPct: 10 } };
    const text = renderMarkdown(judged, { baseline: 'updated' });
    expect(text.split('\n')[2]).toBe('✅ **No regressions** · 3 new: 1 stored, 2 not: too noisy (robust cv over 10%; a steadier run stores them) — 3 benchmarks on NVIDIA H100 80GB HBM3 at `0123456789ab`');
    expect(text.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## 🆕 New (added to the baseline)', '## 🆕 New, not stored yet (too noisy: robust cv over 10%; a steadier run stores them)']);
    // Each table holds its own: the stored one first, the two noisy ones below.
    expect(text.split('## ')[1]).toContain('flash\\_fwd/bf16/B1\\_H1\\_S64\\_D64');
    expect(text.split('## ')[2]?.match(/^\| 🆕\u00a0new \| rmsnorm/gm)).toHaveLength(2);
    const none = { ...judged, results: judged.results.slice(1), counts: { ...judged.counts, new: 2 } };
    expect(renderMarkdown(none, { baseline: 'updated' }).split('\n')[2]).toMatch(/^✅ \*\*No regressions\*\* · 2 new, none stored: too noisy \(robust cv over 10%; a steadier run stores them\) — /);
    expect(renderMarkdown(comparison([added]), { baseline: 'updated' }).split('\n')[2]).toMatch(/ · 1 new, stored — /);
    // A judge-only run stores nothing anyway: one section, as before.
    expect(renderMarkdown(judged, { baseline: 'kept' }).split('\n').filter((l) => l.startsWith('## '))).toEqual(['## 🆕 New (judge-only run: not added to the baseline)']);
  });

  it('says under the verdict how many benchmarks ran identical code and were not measured, the GPU time, and why identical code was measured', () => {
    const skipped = { ...result('rmsnorm/fp16/rows8192_cols4096', 'unchanged', null, null), reason: 'identical code on both sides, not measured', aa: true, skipped: true };
    const cost = { benchmarks: 2, skipped: 1, measureMs: 12_345, identityMs: 420, notes: [] };
    const relative = { ...comparison([improved, skipped]), relative: { baseRef: 'origin/main', baseSha: 'fedcba9876543210', cost } };
    const lines = renderMarkdown(relative).split('\n');
    expect(lines.slice(3, 5)).toEqual(['', '⏩ 1 of 2 benchmarks not measured: identical code on both sides (the same kernel identity and harness), so unchanged. GPU time 12 s measuring 1 benchmark, 0.4 s comparing identities.']);
    // The skipped row's reason says what happened, without the A/A note of a measured comparison.
    const row = lines.find((l) => l.startsWith('| rmsnorm/fp16/rows8192\\_cols4096 |'));
    expect(row).toMatch(/ \| identical code on both sides, not measured \|$/);
    expect(row).not.toMatch(/A\/A/);
    const all = { ...relative, relative: { ...relative.relative, cost: { ...cost, skipped: 0, identityMs: 0, notes: ['the harness differs between the two builds: every benchmark measured'] } } };
    expect(renderMarkdown(all).split('\n').slice(3, 8)).toEqual(['', '⏱️ GPU time 12 s measuring 2 benchmarks.', '', '- the harness differs between the two builds: every benchmark measured', '']);
  });

  it('draws the recent trend of each regressed benchmark from the history and says how to accept it', () => {
    const text = renderMarkdown(comparison([regressed]), { trends: { [regressed.id]: [0.1, 0.101, 0.0995, 0.1] }, dashboardUrl: 'https://acme.github.io/kernels/' });
    expect(text).toContain('- flash\\_fwd/fp16/B32\\_H8\\_S512\\_D64: `▁▂▁▁` → `█` 0.1000 ms → 0.1100 ms');
    expect(text).toContain('`ratchet accept flash_fwd/fp16/B32_H8_S512_D64 --reason "<why>"`');
    expect(text.split('\n')[2]).toMatch(/ · \[trends\]\(https:\/\/acme\.github\.io\/kernels\/\)$/);
  });

  it('never puts an id that is not plain into the command to copy', () => {
    const text = renderMarkdown(comparison([result('x`; rm -rf ~`/fp16/B1', 'regression', 1, 1.2)]));
    expect(text).toContain('`ratchet accept <benchmark id> --reason "<why>"`');
  });

  it('escapes a hostile benchmark name so it cannot break the table or inject HTML', () => {
    const text = renderMarkdown(comparison([result('x|y<img src=x onerror=alert(1)>*[link](http://e)\nrow', 'new', null, 1)]));
    const line = text.split('\n').find((l) => l.startsWith('| 🆕'))!;
    expect(line).toBe('| 🆕\u00a0new | x\\|y\\<img src=x onerror=alert\\(1\\)\\>\\*\\[link\\]\\(http://e\\) row | — | — |');
  });

  it('truncates at a row boundary under maxChars, closes an open <details> and links the artifact', () => {
    const many = Array.from({ length: 400 }, (_, i) => result(`flash_fwd/fp16/B${i + 1}_H1_S64_D64`, 'regression', 1, 1.1));
    const text = renderMarkdown(comparison(many), { maxChars: 5_000, artifactUrl: 'https://example.test/artifact' });
    expect(text.length).toBeLessThanOrEqual(5_000);
    expect(text).toMatch(/_Report truncated: \d+ characters is over the limit\._ \[Full report\]\(https:\/\/example\.test\/artifact\)\n$/);
    expect(text.split('\n').filter((l) => l.startsWith('| ❌')).every((l) => l.endsWith('| 0.001 |'))).toBe(true);
    const long = renderMarkdown(comparison([...many.slice(0, 20), ...Array.from({ length: 400 }, (_, i) => result(`u/fp16/B${i + 1}_H1_S1_D1`, 'unchanged', 1, 1))]), { maxChars: 8_000 });
    expect(long.split('<details>').length).toBe(long.split('</details>').length);
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
