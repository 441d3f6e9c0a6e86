import { describe, expect, it } from 'vitest';
import { marksOf, sotaTable } from '../test/sota-fixture.js';
import { commonPrefix, renderSotaMarkdown } from './sota-markdown.js';
import { renderSotaSvg, sotaBars } from './sota-svg.js';

describe('renderSotaMarkdown', () => {
  it('puts one compact table of our speed-up over each peer first, every figure in <details> below', () => {
    const text = renderSotaMarkdown(sotaTable());
    const lines = text.split('\n');
    const table = lines.filter((l) => l.startsWith('| ')).slice(0, 12);
    expect(table[0]).toBe('| Benchmark | Ours | flash | efficient | cudnn | math |');
    expect(table[2]).toBe('| flash\\_fwd/fp16/B32\\_H8\\_S512\\_D64 | 0.08515 ms | 1.11× | 2.20× | 0.79× | 16.8× |');
    expect(table[3]).toBe('| flash\\_fwd/fp16/B8\\_H16\\_S2048\\_D128 | 1.285 ms | 0.64× | 1.26× | unsupported | 9.37× |');
    expect(table[4]).toMatch(/^\| flash\\_fwd\/fp16\/B2\\_H16\\_S8192\\_D128 \| invalid \|/);
    expect(table[5]).toBe('| flash\\_fwd/fp16/B16\\_H16\\_S1024\\_D64 | 0.2902 ms | ≈ 1.00× | 1.96× | 0.66× | 17.4× |');
    expect(lines.indexOf('<details><summary>Details: medians with their CIs, TFLOP/s, fraction of peak, output agreement, per peer</summary>')).toBeGreaterThan(lines.indexOf(table[11]!));
    expect(text).toContain('| flash\\_fwd/fp16/B8\\_H16\\_S2048\\_D128 | unsupported: cuDNN SDPA does not support this head dim on this build | | | | |');
  });

  it('drops only the part of the peer names they all share', () => {
    expect(commonPrefix(['torch-sdpa/flash', 'torch-sdpa/math'])).toBe('torch-sdpa/');
    expect(commonPrefix(['torch-sdpa/flash', 'xformers/cutlass'])).toBe('');
    expect(commonPrefix(['torch-sdpa/flash'])).toBe('');
  });
});

describe('renderSotaSvg', () => {
  it('draws a bar with a CI whisker per measured series, the peak, date and commit, and the reason for each missing bar', async () => {
    const table = sotaTable();
    const bars = sotaBars(table);
    const drawn = bars.filter((b) => b.tflops !== null);
    const missing = bars.filter((b) => b.missing !== null);
    expect(bars).toHaveLength(table.rows.length * (1 + table.peers.length));
    expect(missing.map((b) => b.missing)).toContain('invalid: failed its correctness check');
    const svg = await renderSotaSvg(table, { commit: '0123456789abcdef' });
    expect(marksOf(svg, 'rect role-mark')).toBe(drawn.length);
    expect(marksOf(svg, 'rule role-mark layer_1')).toBe(drawn.length);
    for (const b of missing) expect(svg).toContain(`>${b.missing!.replace(/&/g, '&amp;')}<`);
    expect(svg).toContain('>peak 1071 TFLOP/s (dense fp16)<');
    expect(svg).toContain('2026-11-23 · commit 0123456789ab');
    expect(svg).toContain('>TFLOP/s<');
    expect(drawn[0]!.low!).toBeLessThan(drawn[0]!.tflops!);
    expect(drawn[0]!.high!).toBeGreaterThan(drawn[0]!.tflops!);
  });
});
