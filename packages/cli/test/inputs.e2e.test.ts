import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baseline, Comparison, RunResult } from '@ratchet/types';
import { ratchet, readJson, scratchProject, snapshot } from './cli-harness.js';

// Tiny shapes and budgets: these tests are about what is refused, said and written, not figures.
const quick = {
  suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false }, { kernel: 'flash_fwd', dtype: 'bf16', B: 1, H: 1, S: 24, D: 8, causal: true }] },
  budgets: { cpu: { warmup: 1, minSamples: 5, maxSamples: 40, minTimeMs: 5, maxTimeMs: 100 } },
};
const h100 = 'NVIDIA-H100-80GB-HBM3/sm90';

describe('silent passes are refused or said (issue 16 item 5)', () => {
  it('an empty suite is exit 2 before measuring, naming the file and field', () => {
    const dir = scratchProject({ ...quick, suites: { cpu: [] } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`ratchet: ${join(dir, 'ratchet.config.json')}: suites.cpu: is empty, so there is nothing to measure (list benchmarks there, or leave the key out for the default suite)\n`);
    expect(Object.keys(snapshot(dir))).toEqual(['ratchet.config.json']);
  });

  it('a baseline with entries for other devices only says so in one line; everything is new here', () => {
    const dir = scratchProject(quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const path = join(dir, '.ratchet/baseline.json');
    const baseline = readJson<Baseline>(path);
    writeFileSync(path, JSON.stringify({ ...baseline, devices: { [h100]: Object.values(baseline.devices)[0] } }));
    const run = ratchet(dir, ['run', '--backend', 'cpu', '--no-ratchet']);
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n')[0]).toMatch(new RegExp(`^the baseline has no entries for cpu/.* \\(only ${h100}\\): every benchmark is new on this device$`));
    expect(run.stdout).toMatch(/2 new/);
  });

  describe('a results file relabelled with another device\'s key', () => {
    const dir = scratchProject(quick);
    const relabelled = join(dir, 'relabelled.json');
    const baselinePath = join(dir, '.ratchet/baseline.json');

    it('is refused by compare and by accept, and the baseline stays as it was', () => {
      expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
      const result = readJson<RunResult>(join(dir, 'results/current.json'));
      writeFileSync(relabelled, JSON.stringify({ ...result, device: { ...result.device, deviceKey: h100 } }));
      const before = readFileSync(baselinePath, 'utf8');
      const compare = ratchet(dir, ['compare', '--results', 'relabelled.json']);
      expect(compare.status).toBe(2);
      expect(compare.stderr).toMatch(new RegExp(`^ratchet: ${relabelled}: device: measured on "[^"]+" \\[${h100}\\], but this machine has "[^"]+" \\[cpu/[^\\]]+\\]; a results file moves the baseline only on the device that measured it`));
      const accept = ratchet(dir, ['accept', '--all', '--reason', 'x', '--results', 'relabelled.json']);
      expect(accept.status).toBe(2);
      expect(accept.stderr).toMatch(/device: measured on /);
      expect(readFileSync(baselinePath, 'utf8')).toBe(before);
    });

    it('is judged with one line saying so under --no-ratchet', () => {
      const judged = ratchet(dir, ['compare', '--no-ratchet', '--results', 'relabelled.json']);
      expect(judged.status).toBe(0);
      expect(judged.stderr).toMatch(/^relabelled\.json: measured on .*: judged only, as --no-ratchet asks\n/);
    });
  });
});

describe('a benchmark past the limit on one call (issue 16 item 6)', () => {
  it('S = 10^7 on the CPU is refused from its work before anything runs, with the estimate', () => {
    const dir = scratchProject({ ...quick, suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 10_000_000, D: 1, causal: false }] } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^ratchet: flash_fwd\/fp16\/B1_H1_S10000000_D1: its correctness check would take at least [\d.]+ (min|h) on cpu\/\S+ \(4\.00e\+14 FLOPs and 8\.00e\+7 bytes per call, at the device's peak\), past the 60 s limit on one call: measure a smaller shape\n$/);
    expect(Object.keys(snapshot(dir))).toEqual(['ratchet.config.json']);
  });
});

describe('the history is checked before it is written (issue 16 item 12)', () => {
  it('a last line cut short is refused naming file:line, before measuring; nothing is glued onto it', () => {
    const dir = scratchProject(quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const history = join(dir, '.ratchet/history.jsonl');
    const cut = `${readFileSync(history, 'utf8')}{"time":"2026-12-01T00:00:00.000Z","devi`;
    writeFileSync(history, cut);
    const before = snapshot(dir);
    for (const args of [['run', '--backend', 'cpu'], ['accept', '--all', '--reason', 'x'], ['compare']]) {
      const refused = ratchet(dir, args);
      expect(refused.status, args.join(' ')).toBe(2);
      expect(refused.stderr).toBe(`ratchet: ${history}:3: not valid JSON (Unterminated string at line 1, column 41)\n`);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('an event after a last line without its newline starts a line of its own', () => {
    const dir = scratchProject(quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const history = join(dir, '.ratchet/history.jsonl');
    writeFileSync(history, readFileSync(history, 'utf8').trimEnd());
    expect(ratchet(dir, ['accept', '--all', '--reason', 'tight baseline']).status).toBe(0);
    const lines = readFileSync(history, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(['new', 'new', 'accept', 'accept']);
  });
});

describe('ratchet run judges and renders once (issue 16 item 13)', () => {
  it('prints, writes and reports one comparison: --json output, comparison.json and report.md agree', () => {
    const dir = scratchProject(quick);
    const run = ratchet(dir, ['run', '--backend', 'cpu', '--json']);
    expect(run.status).toBe(0);
    const written = readFileSync(join(dir, 'results/comparison.json'), 'utf8');
    expect(run.stdout).toBe(written);
    expect(JSON.parse(written) as Comparison).toMatchObject({ counts: { new: 2 } });
    const report = ratchet(dir, ['report']);
    expect(`${report.stdout}`).toBe(readFileSync(join(dir, 'results/report.md'), 'utf8').trimEnd() + '\n');
    expect(existsSync(join(dir, '.ratchet/baseline.json.lock'))).toBe(false);
  });
});

describe('the moves log has a key of its own (issue 23)', () => {
  it('reads the old key paths.history as paths.moves, with one warning line, and writes the moves there', () => {
    const dir = scratchProject({ ...quick, paths: { history: 'log/moves.jsonl' } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(
      "warning: ratchet.config.json: paths.history is now called paths.moves (the baseline's moves log; the run history is --history): read as paths.moves, rename the key",
    );
    expect(readFileSync(join(dir, 'log/moves.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(join(dir, '.ratchet/history.jsonl'))).toBe(false);
  });
});
