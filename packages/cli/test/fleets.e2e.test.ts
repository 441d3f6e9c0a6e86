// A suite over several runs and devices (issue 26), on the CPU backend: --device, --shard i/n and
// ratchet merge, as a CI matrix uses them. What each run measures is noise on a busy machine, so
// these check what the commands promise (which benchmarks, which files, which exit status), not
// a verdict of the noise.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRunRecord } from '@ratchet/history';
import type { Baseline, Comparison, MergedComparisons, RunRecord, RunResult } from '@ratchet/types';
import { startGitHubServer } from '../../ci/test/github-server.js';
import { cliBin, ratchet, readJson, scratchProject } from './cli-harness.js';

const shape = (dtype: string, S: number, causal = false) => ({ kernel: 'flash_fwd', dtype, B: 1, H: 1, S, D: 16, causal });
const suite = [shape('fp16', 32), shape('fp16', 48), shape('bf16', 32, true), shape('bf16', 64), shape('fp16', 40, true)];
const config = { suites: { cpu: suite }, thresholds: { regressionPct: 50, improvementPct: 50 } };

/** Runs shard i/n judge-only and keeps its files in `<name>/`, as a CI job uploads them. */
function shardRun(dir: string, spec: string, name: string, extra: string[] = []): void {
  const run = ratchet(dir, ['run', '--backend', 'cpu', '--no-ratchet', '--shard', spec, ...extra]);
  expect(run.status, run.stderr).toBe(0);
  mkdirSync(join(dir, name), { recursive: true });
  for (const file of ['comparison.json', 'current.json']) cpSync(join(dir, 'results', file), join(dir, name, file));
}

const ids = (comparison: Comparison) => comparison.results.filter((r) => r.verdict !== 'missing').map((r) => r.id).sort();

describe('--device', () => {
  const dir = scratchProject(config);

  it('runs on the device named by index, and the results say which', () => {
    const run = ratchet(dir, ['bench', '--backend', 'cpu', '--device', '0']);
    expect(run.status, run.stderr).toBe(0);
    const result = readJson<RunResult>(join(dir, 'results/current.json'));
    expect([result.device.index, result.device.uuid]).toEqual([0, null]);
  });

  it('refuses a device that is not there (exit 3) and a selector that is no device (exit 2), writing nothing', () => {
    const before = readFileSync(join(dir, 'results/current.json'), 'utf8');
    const missing = ratchet(dir, ['run', '--backend', 'cpu', '--device', '3']);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/^ratchet: --device 3: no such cpu device; the cpu devices here are 0: .*\. ratchet devices lists them\n$/);
    const malformed = ratchet(dir, ['bench', '--backend', 'cpu', '--device', 'second']);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('--device: expected a device index (0, 1, ...) or a GPU UUID');
    expect(readFileSync(join(dir, 'results/current.json'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, '.ratchet/baseline.json'))).toBe(false);
  });

  it('lists each device with the number --device takes', () => {
    const listing = ratchet(dir, ['devices']);
    expect(listing.stdout).toMatch(/^cpu:\n {2}0: .*\[cpu\/[^\]]+\]/);
  });
});

describe('--shard i/n and ratchet merge', () => {
  const dir = scratchProject(config);

  it('shards measure the suite between them, each benchmark once, and merge into one comparison', () => {
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    shardRun(dir, '1/2', 's1');
    shardRun(dir, '2/2', 's2');
    const [first, second] = ['s1', 's2'].map((name) => readJson<Comparison>(join(dir, name, 'comparison.json')));
    expect(ids(first!).length + ids(second!).length).toBe(suite.length);
    expect(ids(first!).filter((id) => ids(second!).includes(id))).toEqual([]);
    expect(first!.shard).toMatchObject({ index: 1, count: 2, suiteSize: 5, against: expect.stringMatching(/^baseline:sha256:[0-9a-f]{64}$/) });
    // Each shard is judged in the family of the whole suite.
    expect(first!.errorControl?.benchmarks).toBe(5);

    const merge = ratchet(dir, ['merge', 's1', 's2']);
    expect(merge.status, merge.stderr).toBe(0);
    expect(merge.stdout).toMatch(/: 2 shard\(s\), 5 unchanged\npassed: no regression on any of 1 device\(s\) · report: results\/report.md\n$/);
    const merged = readJson<MergedComparisons>(join(dir, 'results/merged.json'));
    expect(merged.comparisons).toHaveLength(1);
    expect(ids(merged.comparisons[0]!)).toEqual(suite.map((s) => `flash_fwd/${s.dtype}/B1_H1_S${s.S}_D16${s.causal ? '_causal' : ''}`).sort());
    expect(merged.shards.map((s) => [s.index, s.count, s.benchmarks])).toEqual([[1, 2, ids(first!).length], [2, 2, ids(second!).length]]);
    expect(readFileSync(join(dir, 'results/report.md'), 'utf8')).toMatch(/^# Performance Ratchet Report\n\n✅ \*\*No regressions\*\* on the device\n\n## .* \(`cpu\/[^`]+`, 2 shards\)\n\n✅ \*\*No regressions\*\* · 5 unchanged/);
    // Printed again from the merge, as from any comparison.
    const again = ratchet(dir, ['report', '--comparison', 'results/merged.json']);
    expect(again.status).toBe(0);
    expect(`${again.stdout}`).toBe(readFileSync(join(dir, 'results/report.md'), 'utf8'));
    expect(JSON.parse(`${ratchet(dir, ['report', '--comparison', 'results/merged.json', '--format', 'json']).stdout}`)).toEqual(JSON.parse(readFileSync(join(dir, 'results/merged.json'), 'utf8')));
  }, 120_000);

  it('refuses shards that do not belong together (exit 2), writing nothing', () => {
    const before = readFileSync(join(dir, 'results/merged.json'), 'utf8');
    const refused = (args: string[], message: RegExp) => {
      const run = ratchet(dir, ['merge', ...args]);
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(readFileSync(join(dir, 'results/merged.json'), 'utf8')).toBe(before);
    };
    refused(['s1'], /^ratchet: s1\/comparison.json: shard: .*: shard 2\/2 missing: a merge joins every shard of a device\n$/);
    refused(['s1', 's1'], /s1\/comparison.json: shard.index: shard 1\/2 of .* is given twice \(also s1\/comparison.json\)/);
    // Another config: one benchmark more (the suite differs too, and is named first).
    writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({ ...config, suites: { cpu: [...suite, shape('fp16', 56)] } }));
    shardRun(dir, '2/2', 'other');
    refused(['s1', 'other'], /^ratchet: other\/comparison.json: shard.suite: sha256:[0-9a-f]{64} differs from s1\/comparison.json's sha256:[0-9a-f]{64}: another suite, not merged\n$/);
    // The same suite, other thresholds: another config.
    writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({ ...config, thresholds: { regressionPct: 40, improvementPct: 50 } }));
    shardRun(dir, '2/2', 'loose');
    refused(['s1', 'loose'], /loose\/comparison.json: shard.config: sha256:.* differs from .*: another ratchet.config.json, not merged/);
    writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify(config));
    // A comparison from before stamps, or from compare.
    const unstamped = readJson<Comparison>(join(dir, 's2/comparison.json'));
    delete unstamped.shard;
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'old/comparison.json'), JSON.stringify(unstamped));
    refused(['s1', 'old'], /old\/comparison.json: shard: no shard stamp: only comparisons written by ratchet run/);
  }, 180_000);

  it('a shard given no benchmark measures nothing and passes; all of them merge', () => {
    const names = Array.from({ length: 8 }, (_, i) => `e${i + 1}`);
    names.forEach((name, i) => shardRun(dir, `${i + 1}/8`, name));
    const empty = names.filter((name) => ids(readJson<Comparison>(join(dir, name, 'comparison.json'))).length === 0);
    expect(empty.length).toBeGreaterThanOrEqual(3);
    expect(readJson<RunResult>(join(dir, empty[0]!, 'current.json')).measurements).toEqual([]);
    const merge = ratchet(dir, ['merge', ...names]);
    expect(merge.status, merge.stderr).toBe(0);
    expect(ids(readJson<MergedComparisons>(join(dir, 'results/merged.json')).comparisons[0]!)).toHaveLength(5);
  }, 240_000);

  it('merge --ratchet moves the baseline with every shard\'s runs, in one write with its history', () => {
    // A sixth benchmark: new in one shard, stored by the merge. Stored however noisy a loaded
    // machine makes its samples (a new entry past newEntryMaxCvPct is left out as unsteady).
    const grown = { ...config, suites: { cpu: [...suite, shape('bf16', 80)] }, thresholds: { ...config.thresholds, newEntryMaxCvPct: 1000 } };
    writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify(grown));
    shardRun(dir, '1/2', 'g1');
    shardRun(dir, '2/2', 'g2');
    const historyBefore = readFileSync(join(dir, '.ratchet/history.jsonl'), 'utf8');
    const merge = ratchet(dir, ['merge', '--ratchet', 'g1', 'g2']);
    expect(merge.status, merge.stderr).toBe(0);
    const baseline = readJson<Baseline>(join(dir, '.ratchet/baseline.json'));
    const entries = Object.values(baseline.devices)[0]!.benchmarks;
    expect(Object.keys(entries)).toContain('flash_fwd/bf16/B1_H1_S80_D16');
    const added = readFileSync(join(dir, '.ratchet/history.jsonl'), 'utf8').slice(historyBefore.length).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string; benchmarkId: string });
    expect(added).toContainEqual(expect.objectContaining({ event: 'new', benchmarkId: 'flash_fwd/bf16/B1_H1_S80_D16' }));
    // The shards judged against the baseline as it was: merged again, they would move a newer one.
    const again = ratchet(dir, ['merge', '--ratchet', 'g1', 'g2']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/g1\/comparison.json: shard.against: --ratchet moves the baseline from the one the shards judged against, but it was judged against baseline:sha256:.*, and .ratchet\/baseline.json is baseline:sha256:.* now/);
    expect(readdirSync(join(dir, '.ratchet')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 180_000);
});

describe('a baseline that stays small', () => {
  it('a baseline of every sample (written before digests) is migrated by the first run that writes it, said in one line', () => {
    const dir = scratchProject(config);
    expect(ratchet(dir, ['bench', '--backend', 'cpu']).status).toBe(0);
    // The baseline an older Ratchet wrote: every sample of each entry, with the machine code it timed,
    // so the runs below on the same code are A/A (unchanged) whatever a loaded machine's clock does.
    const result = readJson<RunResult>(join(dir, 'results/current.json'));
    const entries = Object.fromEntries(result.measurements.map((m) => [m.id, {
      summary: m.summary, samplesMs: [...m.samplesMs].sort((a, b) => a - b), variant: m.variant, sha: null, acceptedAt: result.createdAt, acceptedAs: 'new',
      kernelIdentity: m.kernelIdentity,
    }]));
    mkdirSync(join(dir, '.ratchet'), { recursive: true });
    writeFileSync(join(dir, '.ratchet/baseline.json'), JSON.stringify({ schemaVersion: 2, devices: { [result.device.deviceKey]: { device: result.device, benchmarks: entries } } }, null, 2));
    const before = readFileSync(join(dir, '.ratchet/baseline.json'), 'utf8').length;

    const judgedOnly = ratchet(dir, ['run', '--backend', 'cpu', '--no-ratchet']);
    expect(judgedOnly.status, judgedOnly.stderr).toBe(0);
    expect(judgedOnly.stderr).not.toContain('migrated');
    expect(readJson<Comparison>(join(dir, 'results/comparison.json')).results.map((r) => r.aa)).toEqual(result.measurements.map(() => true));
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stderr.split('\n').filter((line) => line.includes('migrated'));
    expect(lines).toEqual([expect.stringMatching(/^baseline: 5 entries of \.ratchet\/baseline\.json migrated from every sample to a digest \(at most 32 runs of samples each; the file \d+ KB -> \d+ KB\); raw samples stay in results files and CI artifacts$/)]);
    const after = readJson<Baseline>(join(dir, '.ratchet/baseline.json'));
    const migrated = Object.values(after.devices)[0]!.benchmarks;
    expect(Object.values(migrated).every((entry) => entry.digest && !entry.samplesMs)).toBe(true);
    expect(readFileSync(join(dir, '.ratchet/baseline.json'), 'utf8').length).toBeLessThan(before);
    // Said once: the next run finds nothing to migrate.
    const again = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('migrated');
  }, 120_000);

  it('a digest that does not match its summary is refused before anything is measured (exit 2), nothing written', () => {
    const dir = scratchProject(config);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const path = join(dir, '.ratchet/baseline.json');
    const baseline = readJson<Baseline>(path);
    const [key, device] = Object.entries(baseline.devices)[0]!;
    const [id, entry] = Object.entries(device.benchmarks)[0]!;
    const summary = entry.summary!;
    const median = summary.median;
    summary.median = median * 1.5;
    writeFileSync(path, JSON.stringify(baseline, null, 2));
    const text = readFileSync(path, 'utf8');
    const results = readFileSync(join(dir, 'results/current.json'), 'utf8');
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    const said = /^ratchet: (.*): does not match the summary: its median is (\S+), the summary's (\S+) \(a digest of other samples, or one edited by hand\)\n$/.exec(run.stderr);
    expect(said, run.stderr).not.toBeNull();
    expect(said![1]).toBe(`${path}: devices[${JSON.stringify(key)}].benchmarks[${JSON.stringify(id)}].digest.samplesMs`);
    // The digest's median as read back: the stored one to within the validator's own slack (1e-9 of it).
    expect(Number(said![2])).toBeCloseTo(median, 10);
    expect(said![3]).toBe(String(summary.median));
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(readFileSync(join(dir, 'results/current.json'), 'utf8')).toBe(results);
  }, 60_000);
});

/** Async spawn: the fake GitHub server runs in this process and must keep answering. */
function ratchetAsync(cwd: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cliBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('ratchet ci --drift: one issue per device, opened on drift and closed once it recovers', () => {
  // The default thresholds: a regression past 3%, run-to-run prior 1%.
  const dir = scratchProject();
  const history = join(dir, '.ratchet/runs');
  const id = 'flash_fwd/fp16/B4_H16_S4096_D128_causal';
  const sha = (i: number) => (i + 16).toString(16).repeat(20);
  /** One run on main of the H100: `slower` times the kernel's usual 1.3 ms (a steady 0.3% scatter). */
  const record = (i: number, slower: number): RunRecord => ({
    schemaVersion: 1, project: null, time: `2026-12-${String(1 + Math.floor(i / 8)).padStart(2, '0')}T${String(i % 8).padStart(2, '0')}:00:00.000Z`, commit: sha(i), branch: 'main', dirty: false,
    deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', deviceName: 'NVIDIA H100 80GB HBM3', peakTflops: 1070.5, peakGBps: 3352.3,
    timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 },
    benchmarks: [{ id, kernel: 'flash_fwd', dtype: 'fp16', status: 'ok', variant: 'v8', kernelIdentity: null, ...median(1.3 * slower * (1 + ((i * 7) % 5 - 2) / 1000)), n: 500, smClockMHz: 1980, tflops: null, gbps: null, roof: null, roofFraction: null }],
  });
  let server: Awaited<ReturnType<typeof startGitHubServer>>;
  let env: Record<string, string>;
  function median(ms: number) {
    return { medianMs: ms, ci95MedianMs: [ms * 0.999, ms * 1.001] as [number, number] };
  }

  beforeAll(async () => {
    server = await startGitHubServer();
    env = { GITHUB_TOKEN: 'x', GITHUB_API_URL: server.baseUrl, GITHUB_REPOSITORY: 'octo/ratchet' };
    // Twelve runs at its level, then two 8% slower: a regression on main.
    for (let i = 0; i < 14; i += 1) await appendRunRecord(history, record(i, i >= 12 ? 1.08 : 1));
  });
  afterAll(() => server.close());

  it('--dry-run prints the issue it would open: the regression, since which commit, the commands that reproduce it', () => {
    const run = ratchet(dir, ['ci', '--drift', '--dry-run']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('# Drift on NVIDIA H100 80GB HBM3 (`NVIDIA-H100-80GB-HBM3/sm90`)');
    expect(run.stdout).toContain('1 regression(s) · 0 suspicious · 0 with too little data, over the last 14 run(s) on main');
    expect(run.stdout).toContain(`| flash\\_fwd/fp16/B4\\_H16\\_S4096\\_D128\\_causal | 1.300 ms | 1.407 ms, 1.403 ms | +7.9% | after \`${sha(11).slice(0, 12)}\` (2026-12-02) |`);
    expect(run.stdout).toContain(`git log --oneline ${sha(11)}..${sha(13)}      # what changed between the runs`);
    expect(run.stdout).toContain(`pnpm -s ratchet run --backend cuda --no-ratchet --base ${sha(11)} ${id}   # both commits measured interleaved`);
    expect(server.requests).toEqual([]);
  });

  it('opens the issue, updates it after the next run, and closes it once the runs are back at their level', async () => {
    const opened = await ratchetAsync(dir, ['ci', '--drift'], env);
    expect(opened.status, opened.stderr).toBe(0);
    expect(opened.stdout).toBe('drift issue created for NVIDIA H100 80GB HBM3 [NVIDIA-H100-80GB-HBM3/sm90]: https://github.test/issues/1\n');
    expect(server.issues[0]).toMatchObject({ state: 'open', labels: [{ name: 'ratchet-drift' }] });
    await appendRunRecord(history, record(14, 1.08));
    expect((await ratchetAsync(dir, ['ci', '--drift'], env)).stdout).toMatch(/^drift issue updated for /);
    expect(server.issues).toHaveLength(1);
    // Fixed: two runs back at the level (the reference still holds mostly the old runs).
    for (const i of [15, 16]) await appendRunRecord(history, record(i, 1));
    const recovered = await ratchetAsync(dir, ['ci', '--drift'], env);
    expect(recovered.stdout).toMatch(/^drift issue closed for /);
    expect(server.issues[0]).toMatchObject({ state: 'closed', comments: [`Recovered: at \`${sha(16).slice(0, 12)}\` (2026-12-03T00:00:00.000Z) every benchmark on NVIDIA H100 80GB HBM3 holds its level on main.`] });
  }, 60_000);

  it('refuses without a token, naming the permission the step needs (exit 3)', () => {
    const run = ratchet(dir, ['ci', '--drift'], { GITHUB_TOKEN: '' });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('GITHUB_TOKEN is not set');
  });
});
