import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summarize } from '@ratchet/stats';
import type { RunRecord, RunResult } from '@ratchet/types';
import { ratchet, readJson, scratchProject } from './cli-harness.js';

/** Each CLI spawn may take up to the harness's 120 s: a test's timeout is that times its spawns. */
const spawns = (n: number) => n * 120_000;
const docsResults = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/results');

/** A scratch project that is a git checkout on `branch`, with an origin naming its project. */
function gitProject(branch = 'main', origin = 'https://github.com/acme/kernels.git'): string {
  const dir = scratchProject();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', branch);
  git('remote', 'add', 'origin', origin);
  git('add', 'ratchet.config.json');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'suite');
  return dir;
}

function records(dir: string, history = join(dir, '.ratchet/runs')): RunRecord[] {
  if (!existsSync(history)) return [];
  return readdirSync(history, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((device) => readdirSync(join(history, device.name)).map((shard) => join(history, device.name, shard)))
    .flatMap((shard) => readFileSync(shard, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunRecord));
}

/** The last results with every median scaled by `factor`, tightly spread: a change of known size. */
function scaledResults(dir: string, factor: number): string {
  const result = readJson<RunResult>(join(dir, 'results/current.json'));
  const measurements = result.measurements.map((m) => {
    const samplesMs = Array.from({ length: 60 }, (_, i) => m.summary!.median * (1 + (((i * 37) % 21) - 10) / 2000) * factor);
    return { ...m, samplesMs, samplesClockMHz: undefined, summary: summarize(samplesMs), kernelIdentity: `cpu:${String(factor).padEnd(64, '0').slice(0, 64)}` };
  });
  const path = join(dir, `scaled-${factor}.json`);
  writeFileSync(path, JSON.stringify({ ...result, createdAt: new Date().toISOString(), measurements }));
  return path;
}

describe('the run history from the command line', () => {
  it('appends one record per `run` on main, with its verdicts, and words the report by what the run did', () => {
    const dir = gitProject();
    const first = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(first.stderr.split('\n').filter((line) => line && !/^\[\d\/2\] /.test(line))).toEqual([]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^history: run appended to \.ratchet\/runs\/cpu_[^/]+\/\d{4}-\d\d\.jsonl$/m);
    expect(readFileSync(join(dir, 'results/report.md'), 'utf8')).toMatch(/^## 🆕 New \(added to the baseline\)$/m);
    // `ratchet ci` re-renders the saved comparison: the baseline file tells it what the run did.
    expect(ratchet(dir, ['ci', '--dry-run']).stdout).toMatch(/^## 🆕 New \(added to the baseline\)$/m);
    expect(ratchet(dir, ['run', '--backend', 'cpu', '--no-ratchet']).status).toBe(0);
    expect(readFileSync(join(dir, 'results/report.md'), 'utf8')).not.toMatch(/baseline updated|added to the baseline/);
    const kept = records(dir);
    expect(kept).toHaveLength(2);
    expect(kept[0]!).toMatchObject({ project: 'github.com/acme/kernels', branch: 'main', dirty: false });
    expect(kept[0]!.benchmarks.map((b) => b.verdict)).toEqual(['new', 'new']);
    expect(kept[1]!.benchmarks.every((b) => b.medianMs! > 0 && b.n >= 30 && b.verdict !== 'new')).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, '.ratchet/runs/history.json'), 'utf8')).project).toBe('github.com/acme/kernels');
  }, spawns(3));

  it('draws the trend of each regressed benchmark from the history in the report and the CI comment', () => {
    const dir = gitProject();
    for (let i = 0; i < 2; i++) expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    expect(ratchet(dir, ['accept', '--all', '--reason', 'tight baseline for the test', '--results', scaledResults(dir, 1)]).status).toBe(0);
    expect(ratchet(dir, ['compare', '--no-ratchet', '--results', scaledResults(dir, 1.2)]).status).toBe(1);
    const report = readFileSync(join(dir, 'results/report.md'), 'utf8');
    // Two runs in the history, then this one (which of them is slowest depends on the machine's load).
    expect(report.match(/^- flash\\_fwd\/\S+: `[▁▂▃▄▅▆▇█]{2}` → `[▁▂▃▄▅▆▇█]` /gm)).toHaveLength(2);
    expect(report).toContain('· [trends](https://acme.github.io/kernels/)');
    expect(report).toMatch(/`ratchet accept (flash_fwd\/fp16\/B1_H1_S128_D32|flash_fwd\/bf16\/B1_H1_S96_D16_causal) (?!\1)(flash_fwd\/fp16\/B1_H1_S128_D32|flash_fwd\/bf16\/B1_H1_S96_D16_causal) --reason "<why>"`/);
    const comment = ratchet(dir, ['ci', '--dry-run']);
    expect(comment.stdout.match(/`[▁▂▃▄▅▆▇█]{2}` → `[▁▂▃▄▅▆▇█]`/g)).toHaveLength(2);
  }, spawns(5));

  it('appends off main only where --history says, and never with --no-history; bench only when asked', () => {
    const dir = gitProject('topic');
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    expect(existsSync(join(dir, '.ratchet/runs'))).toBe(false);
    expect(ratchet(dir, ['run', '--backend', 'cpu', '--history', 'elsewhere']).status).toBe(0);
    expect(records(dir, join(dir, 'elsewhere')).map((r) => r.branch)).toEqual(['topic']);
    const onMain = gitProject();
    expect(ratchet(onMain, ['run', '--backend', 'cpu', '--no-history']).status).toBe(0);
    expect(ratchet(onMain, ['bench', '--backend', 'cpu']).status).toBe(0);
    expect(existsSync(join(onMain, '.ratchet/runs'))).toBe(false);
    const bench = ratchet(onMain, ['bench', '--backend', 'cpu', '--history']);
    expect(bench.status).toBe(0);
    expect(records(onMain).map((r) => r.benchmarks.some((b) => 'verdict' in b))).toEqual([false]);
  }, spawns(5));

  it('refuses another project’s history before measuring anything: exit 2, one line, nothing written', () => {
    const dir = gitProject();
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const other = gitProject('main', 'git@github.com:someone/else.git');
    const results = join(other, 'results/current.json');
    const run = ratchet(other, ['run', '--backend', 'cpu', '--history', join(dir, '.ratchet/runs')]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `ratchet: ${join(dir, '.ratchet/runs/history.json')}: the run history of project 'github.com/acme/kernels', not of 'github.com/someone/else' (this checkout's origin): refusing to append to it; pass --history with this project's history`,
    ]);
    expect(existsSync(results)).toBe(false);
    expect(records(dir)).toHaveLength(1);
  }, spawns(2));

  it('imports the runs saved in docs/results once, naming every file it skipped and why', () => {
    const dir = gitProject();
    // The H100 runs of 2026-11-23/24: a fixed set, so results saved later do not change what is expected.
    const files = readdirSync(docsResults).filter((f) => /^2026-11-2[34]-.*\.json$/.test(f)).map((f) => join(docsResults, f));
    const first = ratchet(dir, ['history', 'import', ...files]);
    expect(first.status).toBe(0);
    expect(first.stdout.trim()).toBe(`history: imported 2 run(s) into .ratchet/runs (0 already there, ${files.length - 2} file(s) skipped)`);
    expect(first.stderr).toMatch(/skipped .*2026-11-23-h100-sota\.json: a SOTA table of a run \(NVIDIA-H100-80GB-HBM3\/sm90 at 2026-11-23T22:17:31\.444Z\) whose RunResult is not among these files/);
    expect(ratchet(dir, ['history', 'import', ...files]).stdout.trim()).toMatch(/imported 0 run\(s\) into \.ratchet\/runs \(2 already there/);
    expect(records(dir).map((r) => r.time)).toEqual(['2026-11-23T22:15:04.105Z', '2026-11-23T22:26:22.311Z']);
  }, spawns(2));

  it('builds the dashboard, warning about every bad line with its file and line, and leaves the history as it was', () => {
    const dir = gitProject();
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const shard = join(dir, '.ratchet/runs', readdirSync(join(dir, '.ratchet/runs'), { withFileTypes: true }).find((e) => e.isDirectory())!.name);
    const file = join(shard, readdirSync(shard)[0]!);
    appendFileSync(file, '{"schemaVersion":1,"project":"github.com/acme/kern');
    const before = readFileSync(file, 'utf8');
    const built = ratchet(dir, ['dashboard']);
    expect(built.status).toBe(0);
    expect(built.stdout.trim()).toBe('dashboard: 1 runs of 2 benchmarks on 1 device(s) -> results/dashboard/index.html');
    expect(built.stderr.trim()).toBe(`warning: ${file.slice(dir.length + 1)}:2: not valid JSON: a truncated or corrupt line (line skipped)`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'results/dashboard/data.js'), 'utf8')).toMatch(/^window\.RATCHET_DATA = JSON\.parse\("\{\\"generatedAt\\"/);
    const none = ratchet(gitProject(), ['dashboard']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^ratchet: \.ratchet\/runs: no run history here/);
  }, spawns(3));

  it('exports the history as Parquet and imports it into an empty one: the same records, and nothing twice', () => {
    const dir = gitProject();
    const files = readdirSync(docsResults).filter((f) => /^2026-11-2[34]-.*\.json$/.test(f)).map((f) => join(docsResults, f));
    expect(ratchet(dir, ['history', 'import', ...files]).status).toBe(0);
    const exported = ratchet(dir, ['history', 'export', '--format', 'parquet']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout.trim()).toMatch(/^history: exported 2 run\(s\), 20 row\(s\), to 1 Parquet file\(s\) in results\/history-parquet \(\d+ bytes\)$/);
    expect(readdirSync(join(dir, 'results/history-parquet/NVIDIA-H100-80GB-HBM3_sm90'))).toEqual(['2026-11.parquet']);
    const imported = ratchet(dir, ['history', 'import', '--format', 'parquet', '--history', 'elsewhere', 'results/history-parquet']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(records(dir, join(dir, 'elsewhere'))).toEqual(records(dir));
    expect(ratchet(dir, ['history', 'import', '--format', 'parquet', '--history', 'elsewhere', 'results/history-parquet']).stdout).toMatch(/imported 0 run\(s\) into elsewhere \(2 already there, 0 file\(s\) skipped\)/);
    // A file that is no export is named with the reason; an unknown format is refused.
    writeFileSync(join(dir, 'notes.parquet'), 'not parquet');
    const foreign = ratchet(dir, ['history', 'import', '--format', 'parquet', 'notes.parquet']);
    expect(foreign.status).toBe(0);
    expect(foreign.stderr).toMatch(/^skipped notes\.parquet: not a Parquet file \(/m);
    const csv = ratchet(dir, ['history', 'export', '--format', 'csv']);
    expect([csv.status, csv.stderr.trim()]).toEqual([2, "ratchet: history export --format: expected parquet but received 'csv'"]);
  }, spawns(6));
});
