import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare } from '@ratchet/baseline';
import { remeasureLooks, resolveConfig } from '@ratchet/core';
import { summarize } from '@ratchet/stats';
import type { Baseline, Comparison, RunResult } from '@ratchet/types';
import { cliBin, ratchet, readJson, scratchProject } from './cli-harness.js';

const cliRoot = join(cliBin, '../..');

/**
 * The last run's results with every sample replaced by median x (1 +- 0.5%, a fixed pattern) x
 * factor: a change of exactly known size that CPU noise on a busy CI machine cannot blur.
 */
/**
 * The last run's results rescaled by `factor`, with 60 tightly spread samples. A factor other than 1
 * stands for another build, so its kernels get another identity, unless `sameCode` says otherwise.
 */
function resolveLoaded(dir: string) {
  return { config: resolveConfig(readJson(join(dir, 'ratchet.config.json'))) };
}

function tightResults(dir: string, factor: number, sameCode = factor === 1): string {
  const result = readJson<RunResult>(join(dir, 'results/current.json'));
  const tight: RunResult = {
    ...result,
    measurements: result.measurements.map((m) => {
      const samplesMs = Array.from({ length: 60 }, (_, i) => m.summary!.median * (1 + (((i * 37) % 21) - 10) / 2000) * factor);
      const kernelIdentity = sameCode ? m.kernelIdentity : `cpu:${String(factor).padEnd(64, '0').slice(0, 64)}`;
      return { ...m, samplesMs, summary: summarize(samplesMs), kernelIdentity };
    }),
  };
  const path = join(dir, `tight-${factor}${sameCode ? '-same' : ''}.json`);
  writeFileSync(path, JSON.stringify(tight));
  return path;
}

describe('ratchet run on the CPU backend, end to end', () => {
  // Thresholds wide enough that run-to-run noise on a busy 2-core CI machine never crosses them;
  // the scaled-results cases below judge with the default 3%/5% against exact, known changes.
  const dir = scratchProject({ thresholds: { regressionPct: 25, improvementPct: 25 } });
  const baselinePath = join(dir, '.ratchet/baseline.json');

  it('first run reports every benchmark as new and writes the baseline, results and report', () => {
    const first = ratchet(dir, ['run', '--backend', 'cpu']);
    // No terminal: one plain line per benchmark as it finishes, and one saying that entries stored
    // outside a git checkout have no commit to confirm a later regression against.
    expect(first.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^\[1\/2\] flash_fwd\/fp16\/B1_H1_S128_D32  [\d.]+ ms, n=\d+$/),
      expect.stringMatching(/^\[2\/2\] flash_fwd\/bf16\/B1_H1_S96_D16_causal  [\d.]+ ms, n=\d+$/),
      expect.stringMatching(/^baseline: 2 entries stored with no commit \(no commit yet, or not a git checkout\): /),
    ]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/2 new/);
    const baseline = readJson<Baseline>(baselinePath);
    const deviceKeys = Object.keys(baseline.devices);
    expect(deviceKeys).toHaveLength(1);
    expect(deviceKeys[0]).toMatch(/^cpu\//);
    expect(Object.keys(baseline.devices[deviceKeys[0]!]!.benchmarks).sort()).toEqual([
      'flash_fwd/bf16/B1_H1_S96_D16_causal',
      'flash_fwd/fp16/B1_H1_S128_D32',
    ]);
    expect(readFileSync(join(dir, 'results/report.md'), 'utf8')).toMatch(/# Performance Ratchet Report/);
    expect(readJson<RunResult>(join(dir, 'results/current.json')).measurements).toHaveLength(2);
    expect(readFileSync(join(dir, '.ratchet/history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    // The CLI writes what @ratchet/core's pipeline judges: the same comparison from the same
    // results, stamped with the shard of the suite it measured (the whole of it: 1 of 1).
    const { shard, ...written } = readJson<Comparison>(join(dir, 'results/comparison.json'));
    expect(shard).toMatchObject({ index: 1, count: 1, suiteSize: 2, against: 'baseline:none' });
    const { shard: _measured, ...measured } = readJson<RunResult>(join(dir, 'results/current.json'));
    expect(_measured).toEqual(shard);
    const { config } = resolveLoaded(dir);
    expect(written).toEqual(JSON.parse(JSON.stringify(compare(measured, null, config.thresholds, { looks: remeasureLooks }))));
  });

  it('second run of the same code reports unchanged and keeps the levels, adding only its medians to the entries', () => {
    const before = readJson<Baseline>(baselinePath);
    const historyBefore = readFileSync(join(dir, '.ratchet/history.jsonl'), 'utf8');
    const second = ratchet(dir, ['run', '--backend', 'cpu', '--json']);
    expect(second.status).toBe(0);
    const comparison = JSON.parse(second.stdout) as Comparison;
    expect(comparison.counts.new).toBe(0);
    expect(comparison.counts.regression).toBe(0);
    expect(comparison.counts.unchanged + comparison.counts.improvement + comparison.counts.inconclusive).toBe(2);
    if (comparison.counts.improvement > 0) return;
    const after = readJson<Baseline>(baselinePath);
    // On a loaded machine the first run's CPU samples can be far slower than the second's: the
    // same code measured faster past the threshold corrects its entry (drift 'faster', one
    // history line each). Every other entry keeps its level and gains only this run's median.
    const corrected: string[] = [];
    for (const [key, device] of Object.entries(after.devices)) {
      for (const [id, entry] of Object.entries(device.benchmarks)) {
        const old = before.devices[key]!.benchmarks[id]!;
        const result = comparison.results.find((r) => r.id === id)!;
        if (result.drift === 'faster') {
          corrected.push(id);
          expect(entry.summary).toEqual(result.current);
          continue;
        }
        expect(entry.summary).toEqual(old.summary);
        expect(entry.runMedians).toHaveLength(result.verdict === 'unchanged' ? 2 : 1);
      }
    }
    const added = readFileSync(join(dir, '.ratchet/history.jsonl'), 'utf8').slice(historyBefore.length).split('\n').filter(Boolean);
    expect(added.map((line) => (JSON.parse(line) as { event: string; benchmarkId: string }))).toEqual(corrected.map((id) => expect.objectContaining({ event: 'correction', benchmarkId: id })));
  });

  it('a results file 10% slower is a regression with exit code 1, and the baseline does not move', () => {
    const strict = scratchProject();
    expect(ratchet(strict, ['run', '--backend', 'cpu']).status).toBe(0);
    expect(ratchet(strict, ['accept', '--all', '--reason', 'a tight baseline for this test', '--results', tightResults(strict, 1)]).status).toBe(0);
    const before = readFileSync(join(strict, '.ratchet/baseline.json'), 'utf8');
    const slower = ratchet(strict, ['compare', '--results', tightResults(strict, 1.1)]);
    expect(slower.status).toBe(1);
    expect(slower.stdout).toMatch(/2 regression/);
    expect(readFileSync(join(strict, '.ratchet/baseline.json'), 'utf8')).toBe(before);

    // The same machine code 10% slower is the machine's doing (A/A): never a regression. Judged
    // only: ratcheted, its median would join the entries' run medians (a 10% run-to-run spread).
    const sameCode = ratchet(strict, ['compare', '--no-ratchet', '--results', tightResults(strict, 1.1, true), '--json']);
    expect(sameCode.status).toBe(0);
    const aa = JSON.parse(sameCode.stdout) as Comparison;
    expect(aa.counts.unchanged).toBe(2);
    expect(aa.results.every((r) => r.aa === true && r.drift === 'slower' && /A\/A: same machine code .*the machine drifted, not the code/.test(r.reason))).toBe(true);

    const faster = ratchet(strict, ['compare', '--results', tightResults(strict, 0.9)]);
    expect(faster.status).toBe(0);
    expect(faster.stdout).toMatch(/2 improvement/);
    const moved = readJson<Baseline>(join(strict, '.ratchet/baseline.json'));
    const oldBaseline = JSON.parse(before) as Baseline;
    for (const [key, device] of Object.entries(moved.devices)) {
      for (const [id, entry] of Object.entries(device.benchmarks)) {
        const old = oldBaseline.devices[key]!.benchmarks[id]!;
        expect(entry.summary!.median).toBeCloseTo(old.summary!.median * 0.9, 9);
        expect(entry.acceptedAs).toBe('improvement');
      }
    }
  }, 60_000); // five ratchet processes, each seconds long on a loaded 2-core machine

  it('a corrupt baseline exits 2 with one line naming the file, and is left byte-for-byte as it was', () => {
    const corrupt = scratchProject();
    const path = join(corrupt, '.ratchet/baseline.json');
    expect(ratchet(corrupt, ['run', '--backend', 'cpu']).status).toBe(0);
    const damaged = readFileSync(path, 'utf8').slice(0, 100);
    writeFileSync(path, damaged);
    const run = ratchet(corrupt, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('.ratchet/baseline.json');
    expect(readFileSync(path, 'utf8')).toBe(damaged);
  });
});

describe('bad input: one line, exit code 2, nothing written', () => {
  it('rejects an unknown benchmark id and lists the suite', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['run', '--backend', 'cpu', 'flash_fwd/fp16/B9_H9_S9_D9']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown benchmark 'flash_fwd\/fp16\/B9_H9_S9_D9' \(the suite has: /);
    expect(existsSync(join(dir, 'results'))).toBe(false);
    expect(existsSync(join(dir, '.ratchet'))).toBe(false);
  });

  it('rejects a config with an unknown key, naming the file and the key', () => {
    const dir = scratchProject({ treshold: {} });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ratchet\.config\.json: .*treshold/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects a suite with a duplicated benchmark', () => {
    const twice = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 8, D: 8, causal: false };
    const dir = scratchProject({ suites: { cpu: [twice, twice] } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/flash_fwd\/fp16\/B1_H1_S8_D8/);
  });

  it('rejects a shape with S < 1 in the config', () => {
    const dir = scratchProject({ suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 0, D: 8, causal: false }] } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/\.S: expected/);
  });

  it('rejects a shape too large for the CPU backend before writing anything', () => {
    const dir = scratchProject({ suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 4096, H: 64, S: 65536, D: 128, causal: false }] } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ratchet: /);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('refuses an output path that cannot be written before measuring', () => {
    const dir = scratchProject({ paths: { results: 'blocker/current.json' } });
    writeFileSync(join(dir, 'blocker'), 'a file where a directory should be');
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/blocker\/current\.json: cannot write here/);
    expect(existsSync(join(dir, '.ratchet'))).toBe(false);
  });

  it('maps usage errors to exit code 2', () => {
    const dir = scratchProject();
    expect(ratchet(dir, ['run', '--backend', 'tpu']).status).toBe(2);
    expect(ratchet(dir, ['frobnicate']).status).toBe(2);
    const accept = ratchet(dir, ['accept', '--reason', 'x']);
    expect(accept.status).toBe(2);
  });

  it('a missing --config file is exit 2 naming the file', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['--config', 'nope.json', 'devices']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/nope\.json: cannot read the config file \(no such file\)/);
  });
});

describe('output', () => {
  it('prints no colour codes when NO_COLOR is set or stdout is not a TTY', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/\x1b\[/);
  });

  it('--version prints the version of the package', () => {
    const run = ratchet(scratchProject(), ['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${readJson<{ version: string }>(join(cliRoot, 'package.json')).version}\n`);
  });

  it('under --json an error is one JSON object on stderr and stdout stays empty', () => {
    const dir = scratchProject();
    const usage = ratchet(dir, ['--json', 'run', '--backend', 'tpu']);
    expect(usage.status).toBe(2);
    expect(usage.stdout).toBe('');
    expect(JSON.parse(usage.stderr)).toEqual({ error: { code: 'ERR_RATCHET_USAGE', message: "option '--backend <backend>' argument 'tpu' is invalid. Allowed choices are auto, cpu, cuda.", exitCode: 2 } });
    const missing = ratchet(dir, ['--json', '--config', 'nope.json', 'devices']);
    expect(missing.status).toBe(2);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'ERR_RATCHET_FILE_NOT_FOUND', exitCode: 2 } });
  });

  it('--budget takes seconds with or without a unit, and says so when it cannot read one', () => {
    const run = ratchet(scratchProject(), ['autotune', '--backend', 'cpu', '--budget', '20x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("ratchet: --budget: expected a time > 0 in seconds (120, 20s or 2m) but received '20x'\n");
  });

  it('devices lists the CPU and says why there is no CUDA device', () => {
    const dir = scratchProject();
    const run = ratchet(dir, ['devices', '--json']);
    expect(run.status).toBe(0);
    const listing = JSON.parse(run.stdout) as { backend: string; devices: unknown[]; unavailableReason: string | null }[];
    expect(listing.find((entry) => entry.backend === 'cpu')!.devices).toHaveLength(1);
  });

  it('accept records a slower figure with its reason in the baseline and history', () => {
    const dir = scratchProject();
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const accept = ratchet(dir, ['accept', '--all', '--reason', 'new masking is worth 2%']);
    expect(accept.status).toBe(0);
    const history = readFileSync(join(dir, '.ratchet/history.jsonl'), 'utf8').trim().split('\n');
    expect(history.slice(-2).every((line) => JSON.parse(line).reason === 'new masking is worth 2%')).toBe(true);
  });
});
