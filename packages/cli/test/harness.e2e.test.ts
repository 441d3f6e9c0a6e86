// Other harnesses through the CLI: `compare --from` on the committed fixtures (the real tools'
// output), and `run --command` driving a harness of a user's own, alone and against a base
// commit, as a user's CI would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sumHarnessRepository } from './harnesses/sum-repository.js';
import { cliTimeoutMs, ratchet, readJson, snapshot } from './cli-harness.js';

const fixtures = fileURLToPath(new URL('../../core/test/fixtures/harnesses', import.meta.url));
const fixture = (...parts: string[]) => join(fixtures, ...parts);

function emptyProject(): string {
  return mkdtempSync(join(tmpdir(), 'ratchet-harness-'));
}

describe('compare --from: the same verdicts as Ratchet\'s own runs, from another harness\'s files', () => {
  it('Google Benchmark: the first file is stored as new, the slowed build\'s file fails (exit 1), the base again passes (exit 0)', () => {
    const dir = emptyProject();
    const first = ratchet(dir, ['compare', '--from', 'google-benchmark', fixture('google-benchmark', 'base.json')]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/timed by google-benchmark \(--from google-benchmark\): outputs not checked by Ratchet/);
    const baseline = readJson<{ devices: Record<string, { benchmarks: Record<string, unknown> }> }>(join(dir, '.ratchet/baseline.json'));
    expect(Object.keys(baseline.devices['google-benchmark/2-CPUs-at-2600-MHz']!.benchmarks)).toHaveLength(5);
    const slowed = ratchet(dir, ['compare', '--from', 'google-benchmark', fixture('google-benchmark', 'slowed.json'), '--no-ratchet']);
    expect(slowed.status, slowed.stderr).toBe(1);
    expect(slowed.stdout).toMatch(/5 regression/);
    expect(ratchet(dir, ['compare', '--from', 'google-benchmark', fixture('google-benchmark', 'base.json'), '--no-ratchet']).status).toBe(0);
  });

  it.each([
    ['pytest-benchmark', [fixture('pytest-benchmark', 'saved-slowed.json')], [fixture('pytest-benchmark', 'saved-base.json')], []],
    ['nvbench', [fixture('nvbench', 'synthetic', 'slowed.json')], [fixture('nvbench', 'synthetic', 'base.json')], []],
    ['triton', [fixture('triton', 'real', 'slowed')], [fixture('triton', 'real', 'base')], ['--unit', 'us', '--device', 'NVIDIA H100 80GB HBM3']],
  ])('%s: the slowed build against the base build\'s output (--against) is a regression, exit 1; the base against itself exits 0', (format, slowed, base, extra) => {
    const dir = emptyProject();
    const failed = ratchet(dir, ['compare', '--from', format, ...slowed, '--against', base[0]!, ...extra]);
    expect(failed.status, failed.stderr).toBe(1);
    const report = readJson<{ counts: { regression: number }; imported: { format: string } }>(join(dir, 'results/comparison.json'));
    expect(report.imported.format).toBe(format);
    expect(report.counts.regression).toBeGreaterThan(0);
    expect(ratchet(dir, ['compare', '--from', format, ...base, '--against', base[0]!, ...extra]).status).toBe(0);
  });

  it('refuses bad input with one message and exit 2, writing nothing', () => {
    const dir = emptyProject();
    const truncated = join(dir, 'out.json');
    writeFileSync(truncated, '{"context": {"num_cpus": 2}, "benchmarks": [{"name": "BM_x", "run_type": "iteration", "real_t');
    const before = snapshot(dir);
    const result = ratchet(dir, ['compare', '--from', 'google-benchmark', 'out.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^ratchet: .*out\.json: not valid JSON \(Unterminated string at line 1, column 94\)\n$/);
    expect(snapshot(dir)).toEqual(before);
    const json = ratchet(dir, ['--json', 'compare', '--from', 'nvbench', fixture('google-benchmark', 'base.json')]);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'ERR_RATCHET_INVALID_RESULTS', exitCode: 2 });
  });

  it('bench --from saves the output as the results; history import --from appends one run per file, once', () => {
    const dir = emptyProject();
    expect(ratchet(dir, ['bench', '--from', 'pytest-benchmark', fixture('pytest-benchmark', 'saved-base.json')]).status).toBe(0);
    const results = readJson<{ imported: { harness: string }; measurements: { reported: { kind: string } }[] }>(join(dir, 'results/current.json'));
    expect(results.imported.harness).toBe('pytest-benchmark');
    expect(results.measurements[0]!.reported.kind).toBe('median-iqr');
    // A figure saved that way is accepted on purpose like any other (the device is the harness's).
    const accepted = ratchet(dir, ['accept', 'test_kernels.test_sort/int', '--reason', 'the sort does more now']);
    expect(accepted.status, accepted.stderr).toBe(0);
    const entry = readJson<{ devices: Record<string, { benchmarks: Record<string, { acceptedAs: string; reported: { kind: string } }> }> }>(join(dir, '.ratchet/baseline.json'));
    expect(Object.values(entry.devices)[0]!.benchmarks['test_kernels.test_sort/int']).toMatchObject({ acceptedAs: 'accept', reported: { kind: 'median-iqr' } });
    const files = [fixture('google-benchmark', 'base.json'), fixture('google-benchmark', 'slowed.json')];
    expect(ratchet(dir, ['history', 'import', '--from', 'google-benchmark', ...files]).stdout).toMatch(/imported 2 run\(s\) of google-benchmark .* \(0 already there\)/);
    expect(ratchet(dir, ['history', 'import', '--from', 'google-benchmark', ...files]).stdout).toMatch(/imported 0 run\(s\) of google-benchmark .* \(2 already there\)/);
  });
});

function harnessRepo(): string {
  return sumHarnessRepository(emptyProject(), 'results');
}

describe('run --command: Ratchet runs the harness itself, again and again', () => {
  const command = ['run', '--command', 'node sum-bench.mjs', '--from', 'ratchet-samples', '--max-runs', '24'];

  it('with --base, head and base runs alternate and are judged turn by turn: the slowed sum is a regression (exit 1), the other benchmark is not', () => {
    const dir = harnessRepo();
    const result = ratchet(dir, [...command, '--base', 'HEAD~1'], {}, cliTimeoutMs.build);
    expect(result.status, result.stderr).toBe(1);
    const comparison = readJson<{ results: { id: string; verdict: string; reason: string }[]; relative: { baseRef: string }; imported: { runs: number } }>(join(dir, 'results/comparison.json'));
    const byId = Object.fromEntries(comparison.results.map((r) => [r.id, r]));
    expect(byId['sum/n200000']!.verdict).toBe('regression');
    expect(byId['sum/n200000']!.reason).toMatch(/paired turn by turn/);
    expect(byId['scale/n200000']!.verdict).not.toBe('regression');
    expect(comparison.relative.baseRef).toBe('HEAD~1');
    expect(comparison.imported.runs).toBeGreaterThanOrEqual(6);
    // Run 1 head first, run 2 base first: the order alternates.
    expect(result.stderr).toMatch(/run 1 \(head\) read[^]*run 1 \(base\) read[^]*run 2 \(base\) read[^]*run 2 \(head\) read/);
  });

  it('against the same commit (--base HEAD) nothing regresses (exit 0); alone, it is judged against the committed baseline', () => {
    const dir = harnessRepo();
    const same = ratchet(dir, [...command, '--base', 'HEAD'], {}, cliTimeoutMs.build);
    expect(same.status, same.stderr).toBe(0);
    const first = ratchet(dir, command);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 new/);
    expect(readJson<{ imported: { runs: number } }>(join(dir, 'results/current.json')).imported.runs).toBeGreaterThanOrEqual(6);
  });

  it('a harness that fails says which side and run, with what it printed (exit 3); one that writes nothing readable is refused (exit 2)', () => {
    const dir = harnessRepo();
    const failing = ratchet(dir, ['run', '--command', 'echo "no GPU here" >&2; exit 7', '--from', 'nvbench']);
    expect(failing.status).toBe(3);
    expect(failing.stderr).toMatch(/ratchet: --command \(head, run 1\) exited 7: no GPU here/);
    const silent = ratchet(dir, ['run', '--command', 'true', '--from', 'nvbench']);
    expect(silent.status).toBe(2);
    expect(silent.stderr).toMatch(/--command \(head, run 1\): .*a directory with no \.json file in it \(--from nvbench\)/);
  });
});
