// The generated dashboard opened in headless Debian Chromium from file://, as a visitor would
// open a downloaded artifact: every chart must render with the right number of marks, the
// filters, tabs and trend must work, and nothing may be logged as an error. Screenshots go to
// .ci-results/screenshots/ (CI keeps them as artifacts).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../../../scripts/chromium.mjs';
import { syntheticHistory } from '../../../scripts/synthetic-history.mjs';
import { buildSiteData } from '../src/site-data.js';
import { writeSite } from '../src/write-site.js';

const missing = chromiumMissing();
const screenshots = resolve(dirname(fileURLToPath(import.meta.url)), '../../../.ci-results/screenshots');
const benchmarks = 24;
const runs = 30;

if (missing) console.warn(`dashboard browser test skipped: ${missing}`);

// One Chromium and one page serve every test; each waits on that page's drawing, which a loaded
// 2-core machine can stretch to seconds.
describe.skipIf(missing !== null)('the dashboard in headless Chromium', { timeout: 60_000 }, () => {
  const { records, events } = syntheticHistory({ benchmarks, runs, devices: ['NVIDIA-H100-80GB-HBM3/sm90', 'NVIDIA-H200/sm90'] });
  const data = buildSiteData(records, events, { generatedAt: '2026-12-01T00:00:00.000Z', project: 'github.com/acme/kernels', commitUrl: 'https://github.com/acme/kernels/commit/' });
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ratchet-dashboard-')), 'site');
    await writeSite(out, data);
    mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.waitForFunction(() => (window as unknown as { ratchetDashboard?: { ready: boolean } }).ratchetDashboard?.ready === true);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws a small chart for every benchmark of the device as the cards scroll into view, the latest change highlighted', async () => {
    await page.screenshot({ path: join(screenshots, 'dashboard-overview.png') });
    // Scroll card by card: charts are drawn only when their card comes near the viewport.
    for (const card of await page.locator('.card').all()) await card.scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => document.querySelectorAll('.card[data-drawn="1"]').length === n, benchmarks);
    const marks = await page.$$eval('.card', (cards) =>
      cards.map((card) => ({
        lines: card.querySelectorAll('svg g.mark-line path').length,
        bands: card.querySelectorAll('svg g.mark-area path').length,
        last: card.querySelectorAll('svg g.mark-symbol path').length,
      })),
    );
    expect(marks).toEqual(Array.from({ length: benchmarks }, () => ({ lines: 1, bands: 1, last: 1 })));
    const regressed = page.locator('.card.worse');
    await expect(regressed.count()).resolves.toBe(1);
    await expect(regressed.locator('.change').textContent()).resolves.toMatch(/^\+\d+\.\d% regression$/);
    expect(await regressed.locator('svg g.mark-symbol path').getAttribute('fill')).toBe('#d62728');
  });

  it('opens the trend of a benchmark: a point per run linked to its commit, the CI band, baseline moves and peers', async () => {
    const regressed = data.devices[0]!.benchmarks.find((b) => b.latest.verdict === 'regression')!;
    const withPeer = data.devices[0]!.benchmarks.find((b) => b.peers.length > 0 && b.baseline.length === 2)!;
    for (const benchmark of [regressed, withPeer]) {
      await page.locator(`.card[data-id="${benchmark.id}"]`).click();
      await page.waitForFunction((id) => document.getElementById('trend')!.dataset.drawn === id, benchmark.id);
      const trend = await page.$eval('#trend', (el) => ({
        points: el.querySelectorAll('g.mark-symbol.role-mark path').length,
        rules: el.querySelectorAll('g.mark-rule.role-mark line').length,
        band: el.querySelectorAll('g.mark-area.role-mark path').length,
        axis: [...el.querySelectorAll('g.role-axis-title text')].map((t) => t.textContent),
      }));
      expect(trend.points).toBe(runs);
      expect(trend.band).toBe(1);
      expect(trend.rules).toBe(benchmark.baseline.length + benchmark.peers.length);
      expect(trend.axis).toContain('% of roof (higher is better)');
      await expect(page.locator('#detail-title').textContent()).resolves.toBe(benchmark.id);
    }
    expect(new URL(page.url()).hash).toBe(`#device=${encodeURIComponent(data.devices[0]!.key)}&benchmark=${encodeURIComponent(withPeer.id)}`);
    // A point opens its commit (answered here: the network is closed to the test).
    await browser.route('https://github.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'commit page' }));
    const lastPoint = page.locator('#trend g.mark-symbol.role-mark path').last();
    const [commitPage] = await Promise.all([browser.waitForEvent('page'), lastPoint.click()]);
    expect(commitPage.url()).toBe(`https://github.com/acme/kernels/commit/${data.devices[0]!.runs.commit.at(-1)}`);
    await commitPage.close();
    await page.locator('#detail').screenshot({ path: join(screenshots, 'dashboard-trend.png') });
  });

  it('filters by kernel and dtype, and switches devices with their tabs', async () => {
    await page.selectOption('#kernel', 'rmsnorm');
    await expect(page.locator('.card:not([hidden])').count()).resolves.toBe(benchmarks / 3);
    await page.selectOption('#dtype', 'bf16');
    const ids = await page.$$eval('.card:not([hidden])', (cards) => cards.map((c) => (c as HTMLElement).dataset.id!));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('rmsnorm/bf16/'))).toBe(true);
    await expect(page.locator('#count').textContent()).resolves.toBe(`${ids.length} of ${benchmarks} benchmarks`);
    await page.locator('#devices button', { hasText: data.devices[1]!.key }).click();
    await expect(page.locator('#subtitle').textContent()).resolves.toMatch(new RegExp(`^${data.devices[1]!.name} \\(${data.devices[1]!.key}\\): ${runs} runs`));
    await page.waitForFunction(() => document.querySelectorAll('.card[data-drawn="1"]').length > 0);
    await expect(page.locator('.card:not([hidden])').count()).resolves.toBe(benchmarks);
  });

  it('logged no error or warning and fetched nothing that failed', () => {
    expect(problems).toEqual([]);
  });
});
