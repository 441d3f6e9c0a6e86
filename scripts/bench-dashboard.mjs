#!/usr/bin/env node
// Times the run history and the dashboard at scale (issue 14): a synthetic history of 1,000
// benchmarks x 500 runs (scripts/synthetic-history.mjs), then
//   append: appendRunRecord of one run, 10 benchmarks (the default GPU suite) and 1,000;
//   generate: `ratchet dashboard` over the whole history, the CLI process end to end;
//   interactive: headless Chromium from navigation until every control answers, until the first
//   screen's charts are drawn, and from a click to the 500-point trend drawn.
// Run with `pnpm bench:dashboard` (it builds first). Figures go to docs/benchmarks.md by hand,
// with the command, the machine and the date. Needs /usr/bin/chromium for the browser part.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appendRunRecord } from '@ratchet/history';
import { chromiumMissing, launchChromium } from './chromium.mjs';
import { syntheticHistory } from './synthetic-history.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/cli/dist/bin.js');
const benchmarks = 1_000;
const runs = 500;
const repeats = 3;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

async function timeAppends(dir, records, label) {
  const times = [];
  for (const record of records) {
    const start = performance.now();
    await appendRunRecord(dir, record);
    times.push(performance.now() - start);
  }
  console.log(`append, ${label}: median ${ms(median(times))}, max ${ms(Math.max(...times))} over ${times.length} appends`);
}

/** `ratchet dashboard` as a user runs it, timed by bash: wall clock and the CPU time it used. */
function timeGenerate(project, history, out) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < repeats; i += 1) {
    const child = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time "$@" >/dev/null`, 'bash', process.execPath, cli, 'dashboard', '--history', history, '--out', out], { cwd: project, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`ratchet dashboard failed: ${child.stderr}`);
    const [real, user, sys] = child.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    wall.push(real * 1e3);
    cpu.push((user + sys) * 1e3);
  }
  console.log(`generate: wall median ${ms(median(wall))} (${wall.map(ms).join(', ')}), CPU median ${ms(median(cpu))}; data.js ${(statSync(join(out, 'data.js')).size / 1e6).toFixed(1)} MB`);
}

async function timeInteractive(out) {
  const missing = chromiumMissing();
  if (missing) return console.log(`interactive: not measured, ${missing}`);
  const browser = await launchChromium();
  const figures = [];
  for (let i = 0; i < repeats; i += 1) {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.waitForFunction(() => window.ratchetDashboard?.ready, null, { polling: 'raf', timeout: 120_000 });
    const readyAt = await page.evaluate(() => window.ratchetDashboard.readyAt);
    // The first screen is drawn when the last card in the viewport has its chart. Polled slowly and
    // read once at the end: measuring 1,000 cards every frame would itself slow the page.
    await page.waitForFunction(() => window.ratchetDashboard.waiting() === 0, null, { polling: 100, timeout: 120_000 });
    const drawnAt = await page.evaluate(() =>
      Math.max(...[...document.querySelectorAll('.card')].filter((c) => c.getBoundingClientRect().top < innerHeight).map((c) => Number(c.dataset.drawnAt))));
    const id = await page.$eval('.card', (c) => c.dataset.id);
    const clicked = await page.evaluate(() => performance.now());
    await page.locator(`.card[data-id="${id}"]`).click();
    await page.waitForFunction((wanted) => document.getElementById('trend').dataset.drawn === wanted, id, { polling: 'raf', timeout: 120_000 });
    const trendMs = (await page.evaluate(() => performance.now())) - clicked;
    figures.push({ readyAt, drawnAt, trendMs });
    await page.close();
  }
  await browser.close();
  const pick = (key) => median(figures.map((f) => f[key]));
  console.log(`interactive: controls answer at ${ms(pick('readyAt'))}, first screen drawn at ${ms(pick('drawnAt'))} after navigation; click to a ${runs}-point trend ${ms(pick('trendMs'))} (medians of ${repeats})`);
}

const work = mkdtempSync(join(tmpdir(), 'ratchet-bench-dashboard-'));
try {
  console.log(`${benchmarks} benchmarks x ${runs} runs; node ${process.version}; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average ${loadavg()[0].toFixed(1)}; ${new Date().toISOString().slice(0, 10)}`);
  const history = join(work, 'runs');
  const { records, events } = syntheticHistory({ benchmarks, runs, project: null });
  await timeAppends(history, records, `${benchmarks} benchmarks per record, history growing to ${runs} runs`);
  const small = syntheticHistory({ benchmarks: 10, runs: 50, project: null, devices: ['small/sm90'] }).records;
  await timeAppends(join(work, 'small'), small, '10 benchmarks per record (the default GPU suite)');
  const project = join(work, 'project');
  spawnSync('mkdir', ['-p', join(project, '.ratchet')]);
  writeFileSync(join(project, 'ratchet.config.json'), '{}\n');
  writeFileSync(join(project, '.ratchet/history.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const out = join(work, 'site');
  timeGenerate(project, history, out);
  await timeInteractive(out);
  console.log(`load average at the end: ${loadavg()[0].toFixed(1)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
