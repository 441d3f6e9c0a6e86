import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { syntheticHistory } from '../../../scripts/synthetic-history.mjs';
import { buildSiteData } from './site-data.js';
import { writeSite } from './write-site.js';

const { records, events } = syntheticHistory({ benchmarks: 3, runs: 4 });
const data = buildSiteData(records, events, { generatedAt: '2026-12-01T00:00:00.000Z', project: null, commitUrl: null });

describe('writeSite', () => {
  it('writes one directory: the page, its data as a classic script, Vega and the chart specs, nothing from elsewhere', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ratchet-site-')), 'site');
    await writeSite(out, data);
    for (const file of ['index.html', 'data.js', 'assets/app.js', 'assets/rows.js', 'assets/style.css', 'assets/vega.min.js', 'assets/vega-LICENSE.txt', 'assets/charts.js', '.nojekyll']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const window: Record<string, unknown> = {};
    runInNewContext(readFileSync(join(out, 'data.js'), 'utf8'), { window });
    expect(window.RATCHET_DATA).toEqual(data);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/type="module"/);
  });

  it('replaces a site it wrote before, as a whole, and leaves nothing beside it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ratchet-site-'));
    const out = join(parent, 'site');
    await writeSite(out, data);
    writeFileSync(join(out, 'stale.txt'), 'from before');
    await writeSite(out, data);
    expect(existsSync(join(out, 'stale.txt'))).toBe(false);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(readdirSync(parent)).toEqual(['site']);
  });

  it('refuses to replace a directory it did not write, and leaves it untouched', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ratchet-site-'));
    mkdirSync(join(out, 'src'));
    writeFileSync(join(out, 'README.md'), 'mine');
    await expect(writeSite(out, data)).rejects.toThrow(`${out}: is a directory that ratchet did not write (no .ratchet-dashboard in it): refusing to replace it; choose another --out`);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('mine');
  });
});
