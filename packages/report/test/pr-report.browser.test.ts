// The PR report as GitHub shows it: markdown rendered to HTML (marked) with GitHub's stylesheet,
// in a 760 px comment column, in headless Debian Chromium. The verdict, the change with its CI
// and the p-value must be visible without scrolling sideways. Screenshot: .ci-results/screenshots/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { marked } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchmarkComparison, Comparison, Verdict } from '@ratchet/types';
import { chromiumMissing, launchChromium } from '../../../scripts/chromium.mjs';
import { renderMarkdown } from '../src/markdown.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const screenshots = join(root, '.ci-results/screenshots');
const missing = chromiumMissing();
if (missing) console.warn(`PR report browser test skipped: ${missing}`);

/** GitHub's comment column: 760 px wide, 16 px of padding each side. */
const commentWidth = 760;

/**
 * A real comparison measured on the H100 (head faster than a slowed base), turned around for the
 * first three benchmarks so the report has regressions to show, and one left inconclusive.
 */
function comparison(): Comparison {
  const saved = JSON.parse(readFileSync(join(root, 'docs/results/2026-11-24-h100-relative-slower-base.json'), 'utf8')) as Comparison;
  const flip = (r: BenchmarkComparison, verdict: Verdict): BenchmarkComparison => ({
    ...r, verdict, baseline: r.current, current: r.baseline, ratio: 1 / r.ratio!, ratioCi95: [1 / r.ratioCi95![1], 1 / r.ratioCi95![0]],
    changePct: (1 / r.ratio! - 1) * 100,
  });
  const results = saved.results.map((r, i) => (i < 3 ? flip(r, 'regression') : i === 3 ? { ...r, verdict: 'inconclusive' as const } : r));
  const counts = Object.fromEntries(Object.keys(saved.counts).map((v) => [v, results.filter((r) => r.verdict === v).length])) as Comparison['counts'];
  return { ...saved, results, counts };
}

function page(markdown: string): string {
  const css = pathToFileURL(createRequire(import.meta.url).resolve('github-markdown-css/github-markdown-light.css')).href;
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="${css}">
<style>body { margin: 0; } .markdown-body { box-sizing: border-box; width: ${commentWidth}px; padding: 16px; }</style></head>
<body><article class="markdown-body">${marked.parse(markdown, { async: false })}</article></body></html>`;
}

describe.skipIf(missing !== null)('the PR report at PR-comment width in headless Chromium', () => {
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => close?.());

  it('shows the verdict, the change with its CI and the p-value of every row without sideways scrolling', async () => {
    const c = comparison();
    const trends = Object.fromEntries(c.results.slice(0, 3).map((r) => [r.id, [1, 1.01, 0.99, 1, 1.02, 1].map((f) => f * r.baseline!.median)]));
    const markdown = renderMarkdown(c, { baseline: 'kept', trends, dashboardUrl: 'https://acme.github.io/kernels/' });
    mkdirSync(screenshots, { recursive: true });
    const file = join(screenshots, 'pr-report-760.html');
    writeFileSync(file, page(markdown));

    const browser = await launchChromium();
    close = () => browser.close();
    const tab = await browser.newPage();
    await tab.setViewportSize({ width: commentWidth, height: 1000 });
    const errors: string[] = [];
    tab.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await tab.goto(pathToFileURL(file).href);

    const tables = await tab.$$eval('.markdown-body > table', (elements) =>
      elements.map((table) => {
        const box = table.getBoundingClientRect();
        const header = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
        const lastCells = [...table.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild!.getBoundingClientRect().right);
        return { header, right: box.right, scrolls: table.scrollWidth > table.clientWidth, lastCellRight: Math.max(...lastCells) };
      }),
    );
    // Regressions and inconclusive at the top level; improvements too; unchanged and details are folded.
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const table of tables) {
      expect(table.header).toEqual(['Verdict', 'Benchmark', 'Change (95% CI)', 'p']);
      expect(table.scrolls).toBe(false);
      expect(table.lastCellRight).toBeLessThanOrEqual(commentWidth - 16);
    }
    const verdicts = await tab.$$eval('.markdown-body > table tbody tr td:first-child', (cells) =>
      cells.map((td) => ({ text: td.textContent!.replace(/\u00a0/g, ' '), visible: td.getBoundingClientRect().width > 0 && td.getBoundingClientRect().right <= window.innerWidth })),
    );
    expect(verdicts.map((v) => v.text)).toEqual([...Array(3).fill('❌ regression'), '⚠️ inconclusive', ...Array(6).fill('✅ improvement')]);
    expect(verdicts.every((v) => v.visible)).toBe(true);
    await expect(tab.locator('h2').allTextContents()).resolves.toEqual(['❌ Regressions', '⚠️ Inconclusive (re-run)', '✅ Faster than the base']);
    await expect(tab.locator('code', { hasText: /^[▁▂▃▄▅▆▇█]+$/ }).count()).resolves.toBe(6);
    await tab.screenshot({ path: join(screenshots, 'pr-report-760.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);
});
