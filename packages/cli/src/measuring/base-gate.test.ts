import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProblemCatalog } from '@ratchet/core';
import { loadNative } from '@ratchet/native';
import { gateSuite, readBaseGate } from './base-gate.js';
import { commandContext } from '../context.js';
import { openSources } from './sources.js';

const commit = (dir: string, message: string) => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  if (message === 'init') git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', message);
  return git('rev-parse', 'HEAD');
};
const writeConfig = (dir: string, config: object) => writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify(config));

describe("readBaseGate: the base's ratchet.config.json judges a relative run", () => {
  it("reads the base commit's file (git show), even where the head's says otherwise", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ratchet-gate-'));
    writeConfig(repo, { thresholds: { relativeRegressionPct: 1 } });
    const base = commit(repo, 'init');
    writeConfig(repo, { thresholds: { relativeRegressionPct: 50 } });
    const gate = readBaseGate(await commandContext({}, repo), { sha: base });
    expect(gate?.judgedWith).toBe('base');
    expect(gate?.loaded.config.thresholds.relativeRegressionPct).toBe(1);
    expect(gate?.loaded.file).toBe(`${base.slice(0, 12)}:ratchet.config.json`);
    // Paths as though it stood where the head's does: the base side rebases them like the head's.
    expect(gate?.loaded.root).toBe(repo);
  });

  it('takes the defaults where the base has no config (with the head\'s suite: the base declares none)', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ratchet-gate-'));
    const base = commit(repo, 'init');
    const suite = [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 128, D: 32, causal: false }];
    writeConfig(repo, { suites: { cpu: suite }, thresholds: { regressionPct: 20 } });
    const gate = readBaseGate(await commandContext({}, repo), { sha: base });
    expect(gate?.judgedWith).toBe('defaults');
    expect(gate?.loaded.config.thresholds.regressionPct).toBe(3);
    expect(gate?.loaded.config.suites.cpu).toEqual(suite);
  });

  it('names the base commit and field when its config is broken (exit 2 there, never the head\'s gate instead)', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ratchet-gate-'));
    writeConfig(repo, { thresholds: { alpha: 2 } });
    const base = commit(repo, 'init');
    writeConfig(repo, {});
    const context = await commandContext({}, repo);
    expect(() => readBaseGate(context, { sha: base })).toThrow(`${base.slice(0, 12)}:ratchet.config.json: thresholds.alpha: expected a number between 0 and 1 (exclusive) but received 2 (number)`);
  });

  it("reads a prebuilt base's own file; without one and without a SHA, says the head's config judges", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ratchet-gate-'));
    writeConfig(repo, { thresholds: { regressionPct: 9 } });
    commit(repo, 'init');
    const prebuilt = mkdtempSync(join(tmpdir(), 'ratchet-prebuilt-'));
    writeConfig(prebuilt, { thresholds: { regressionPct: 4 } });
    const context = await commandContext({}, repo);
    expect(readBaseGate(context, { sha: 'unknown', dir: prebuilt })?.loaded.config.thresholds.regressionPct).toBe(4);
    const empty = mkdtempSync(join(tmpdir(), 'ratchet-prebuilt-'));
    expect(readBaseGate(context, { sha: 'unknown', dir: empty })).toMatchObject({ judgedWith: 'head', loaded: { file: join(repo, 'ratchet.config.json') } });
  });

  it('has nothing to read for a config kept outside the repository (it serves both sides)', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ratchet-gate-'));
    const base = commit(repo, 'init');
    const outside = mkdtempSync(join(tmpdir(), 'ratchet-config-'));
    writeConfig(outside, {});
    expect(readBaseGate(await commandContext({ config: join(outside, 'ratchet.config.json') }, repo), { sha: base })).toBeNull();
  });
});

describe("gateSuite: the base's suite, then what the head adds", () => {
  // The built-in problems' catalog, as a run on the CPU backend opens it (no plugins, no processes).
  let catalog: ProblemCatalog;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-catalog-'));
    const native = loadNative();
    const sources = await openSources(await commandContext({}, dir), { backend: 'cpu', device: native.devices('cpu')[0]!, native, configRoot: dir });
    catalog = sources.catalog;
    await sources.close();
  });
  const shape = (S: number, causal = false) => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S, D: 32, causal });
  const files = { gate: 'abc:ratchet.config.json', head: 'ratchet.config.json' };

  it('measures a base benchmark the head dropped, and reports it; adds the head\'s new ones after the base\'s', () => {
    const chosen = gateSuite({ gate: [shape(128), shape(256)], head: [shape(128), shape(512)], catalog, backend: 'cpu', files });
    expect(chosen.suite.map((b) => b.S)).toEqual([128, 256, 512]);
    expect(chosen.removed).toEqual([{ id: 'flash_fwd/fp16/B1_H1_S256_D32', measured: true }]);
  });

  it('reports, without failing the run, a base benchmark the head can no longer run, with the reason', () => {
    const gone = { kernel: 'softmax', dtype: 'fp16', rows: 8 };
    const chosen = gateSuite({ gate: [shape(128), gone], head: [shape(128)], catalog, backend: 'cpu', files });
    expect(chosen.suite.map((b) => b.kernel)).toEqual(['flash_fwd']);
    expect(chosen.removed).toEqual([{ id: 'softmax/fp16/rows8', measured: false, reason: expect.stringMatching(/^no problem named 'softmax' \(known: .*flash_fwd/) }]);
  });

  it("still refuses the head's own suite when it is wrong, naming the head's file", () => {
    expect(() => gateSuite({ gate: [shape(128)], head: [{ ...shape(128), kernel: 'nope' }], catalog, backend: 'cpu', files })).toThrow(/^ratchet\.config\.json: suites\.cpu\[0\]\.kernel: no problem named 'nope'/);
  });
});
