import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig } from './config.js';
import { defaultConfig } from './defaults.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-config-'));

describe('loadConfig', () => {
  it('uses the defaults, paths resolved against cwd, when there is no ratchet.config.json', async () => {
    const dir = scratch();
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.file).toBeNull();
    expect(loaded.config.thresholds).toEqual({
      regressionPct: 3, relativeRegressionPct: 1.5, improvementPct: 5, alpha: 0.05, suiteControl: 'holm', runToRunPct: 1, newEntryMaxCvPct: 10,
    });
    expect(loaded.config.paths.baseline).toBe(join(dir, '.ratchet/baseline.json'));
  });

  it('lays the file over the defaults section by section, paths relative to the file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({ thresholds: { regressionPct: 2 }, budgets: { cuda: { minSamples: 50 } }, paths: { report: 'out/r.md' } }));
    const { config } = await loadConfig({ cwd: dir });
    expect(config.thresholds).toEqual({ ...defaultConfig.thresholds, regressionPct: 2 });
    expect(config.budgets.cuda).toEqual({ ...defaultConfig.budgets.cuda, minSamples: 50 });
    expect(config.budgets.cpu).toEqual(defaultConfig.budgets.cpu);
    expect(config.paths.report).toBe(join(dir, 'out/r.md'));
    expect(config.suites).toEqual(defaultConfig.suites);
  });

  it('rejects malformed JSON with the file and position', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'ratchet.config.json'), '{ "thresholds": { }, }');
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ code: 'ERR_RATCHET_INVALID_CONFIG', message: expect.stringMatching(/ratchet\.config\.json: not valid JSON/) });
  });

  it('reads the moves log under its old key, paths.history, as paths.moves, with one notice', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({ paths: { history: 'log/moves.jsonl' } }));
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.config.paths.moves).toBe(join(dir, 'log/moves.jsonl'));
    expect(loaded.config.paths).not.toHaveProperty('history');
    expect(loaded.notices).toEqual([
      `${join(dir, 'ratchet.config.json')}: paths.history is now called paths.moves (the baseline's moves log; the run history is --history): read as paths.moves, rename the key`,
    ]);
  });

  it('gives no notice for paths.moves, and refuses it beside paths.history, which one would be ignored', async () => {
    const dir = scratch();
    const file = join(dir, 'ratchet.config.json');
    writeFileSync(file, JSON.stringify({ paths: { moves: 'm.jsonl' } }));
    expect((await loadConfig({ cwd: dir })).notices).toEqual([]);
    writeFileSync(file, JSON.stringify({ paths: { moves: 'm.jsonl', history: 'h.jsonl' } }));
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({
      code: 'ERR_RATCHET_INVALID_CONFIG', message: `${file}: paths.history and paths.moves both name the baseline's moves log: keep paths.moves`,
    });
  });

  it('requires an explicit --config file to exist', async () => {
    await expect(loadConfig({ cwd: scratch(), explicitPath: 'missing.json' })).rejects.toMatchObject({ code: 'ERR_RATCHET_FILE_NOT_FOUND' });
  });
});

describe('resolveConfig', () => {
  it('replaces a backend suite wholesale and keeps the other', () => {
    const suite = [{ kernel: 'flash_fwd', dtype: 'fp16' as const, B: 1, H: 1, S: 8, D: 8, causal: false }];
    const config = resolveConfig({ suites: { cpu: suite } });
    expect(config.suites.cpu).toEqual(suite);
    expect(config.suites.cuda).toEqual(defaultConfig.suites.cuda);
  });

  it('gives a config with problems of its own no built-in suite: a backend it names no suite for has none', () => {
    const suite = [{ kernel: 'axpy_f32', n: 1024 }];
    for (const own of [{ plugins: ['build/libaxpy.so'] }, { processes: [{ command: ['python3', 'softmax.py'] }] }]) {
      const config = resolveConfig({ ...own, suites: { cuda: suite } });
      expect(config.suites).toEqual({ cpu: [], cuda: suite });
    }
    expect(resolveConfig({ plugins: [] }).suites).toEqual(defaultConfig.suites);
  });
});
