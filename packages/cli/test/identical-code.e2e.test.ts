import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, RunResult } from '@ratchet/types';
import { cliTimeoutMs, ratchet, readJson, scratchProject } from './cli-harness.js';

// Relative mode works on the git checkout holding the working directory: run from the repository,
// against a base checkout built beside it (--base-build), as a CI job that builds the base elsewhere.
const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// Attention runs its default CPU version (cpu-blocked), RMSNorm its own (cpu-cached).
const attention = ['flash_fwd/fp16/B1_H1_S128_D32', 'flash_fwd/bf16/B1_H1_S96_D16_causal'];
const rmsnorm = ['rmsnorm/fp16/rows64_cols256', 'rmsnorm/bf16/rows16_cols1000'];
const config = {
  build: { command: ['node', 'native/scripts/build.mjs'], addon: 'native/build/Release/ratchet_native.node' },
  suites: {
    cpu: [
      { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 128, D: 32, causal: false },
      { kernel: 'flash_fwd', dtype: 'bf16', B: 1, H: 1, S: 96, D: 16, causal: true },
      { kernel: 'rmsnorm', dtype: 'fp16', rows: 64, cols: 256 },
      { kernel: 'rmsnorm', dtype: 'bf16', rows: 16, cols: 1000 },
    ],
  },
};

/** One edit of the base's sources: a file and a line in it replaced. */
interface Edit {
  file: string;
  from: string;
  to: string;
}

// Each changes the machine code of one function and nothing else (the harness's, a comment).
const edits = {
  rmsnormKernel: {
    file: 'native/src/builtin/rmsnorm/cpu_kernels.cc',
    from: 'y[c] = fromFloat(s.dtype, row[size_t(c)] * scale * t.wFloat[size_t(c)]);',
    to: 'y[c] = fromFloat(s.dtype, (row[size_t(c)] * t.wFloat[size_t(c)]) * scale);',
  },
  attentionInUse: { file: 'native/src/builtin/attention/cpu_kernels.cc', from: 'scores[size_t(c)] = dot * scale;', to: 'scores[size_t(c)] = dot * scale * 1.0000001f;' },
  // The first of the file's two: cpu-rowwise's. No new constant either: a constant added before
  // cpu-blocked renumbers the labels of the ones it reads (.LC9 -> .LC10), which its hash counts.
  attentionUnused: {
    file: 'native/src/builtin/attention/cpu_kernels.cc',
    from: 'const int64_t keys = b.causal ? i + 1 : S;',
    to: 'const int64_t keys = b.causal ? std::min(i + 1, S) : S;',
  },
  harness: { file: 'native/src/harness.cc', from: '#include', to: '// the harness, edited (run --base measures everything then)\n#include' },
} satisfies Record<string, Edit>;

let base: string;
let project: string;
const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repository, encoding: 'utf8' }).trim();

/** The base checkout as the repository's sources with `edit` made (none: the same sources), built. */
function buildBase(edit: Edit | null): void {
  // Only a file that differs is written again, so the build compiles only what changed.
  for (const file of new Set(Object.values(edits).map((e) => e.file))) {
    const wanted = readFileSync(join(repository, file), 'utf8');
    const text = edit?.file === file ? wanted.replace(edit.from, edit.to) : wanted;
    if (edit?.file === file) expect(text).not.toBe(wanted);
    if (readFileSync(join(base, file), 'utf8') !== text) writeFileSync(join(base, file), text);
  }
  // An incremental build: only what the edit touched is compiled again.
  execFileSync(process.execPath, ['native/scripts/build.mjs'], { cwd: base, env: { ...process.env, RATCHET_CUDA: '0' }, stdio: 'pipe', timeout: cliTimeoutMs.build });
}

function runBase(extra: string[] = []) {
  const run = ratchet(repository, ['--config', join(project, 'ratchet.config.json'), 'run', '--backend', 'cpu', '--base-build', base, ...extra]);
  // A verdict either way (0 or 1), never an error: these tests are about what is measured. Under
  // .ci/run the head is a CUDA-enabled build and the base a CPU-only one, and the CPU attention of
  // the two ran 25-60% apart on one machine (the same source; measured comparisons only).
  expect([0, 1], run.stderr + run.stdout).toContain(run.status);
  const comparison = readJson<Comparison>(join(project, 'results/comparison.json'));
  const measured = readJson<RunResult>(join(project, 'results/current.json')).measurements.map((m) => m.id);
  const skipped = comparison.results.filter((r) => r.skipped).map((r) => r.id);
  return { run, comparison, measured, skipped, cost: comparison.relative!.cost! };
}

describe('run --base costs what the pull request changes (CPU backend, a base checkout built beside the repository)', () => {
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'ratchet-base-'));
    mkdirSync(join(base, 'native'));
    for (const dir of ['kernels', 'native/src', 'native/include']) cpSync(join(repository, dir), join(base, dir), { recursive: true });
    // The commit the base was built from, as a CI job that built it elsewhere records it.
    writeFileSync(join(base, 'SHA'), `${sha}\n`);
    for (const file of ['native/CMakeLists.txt', 'native/package.json']) cpSync(join(repository, file), join(base, file));
    cpSync(join(repository, 'native/scripts'), join(base, 'native/scripts'), { recursive: true });
    symlinkSync(join(repository, 'native/node_modules'), join(base, 'native/node_modules'), 'dir');
    project = scratchProject(config);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('(a) no kernel changed: nothing measured, every benchmark unchanged, no GPU time', () => {
    buildBase(null);
    const { run, comparison, measured, skipped, cost } = runBase();
    expect(skipped).toEqual([...attention, ...rmsnorm]);
    expect(measured).toEqual([]);
    expect(comparison.results.every((r) => r.verdict === 'unchanged' && r.reason === 'identical code on both sides, not measured')).toBe(true);
    expect(cost).toMatchObject({ benchmarks: 4, skipped: 4, measureMs: 0, notes: [] });
    expect(run.stdout).toContain('cost: 4 of 4 not measured (identical code on both sides); GPU time 0.0 s measuring 0');
    expect(readFileSync(join(project, 'results/report.md'), 'utf8')).toContain('⏩ 4 of 4 benchmarks not measured: identical code on both sides');
  });

  it('--measure-identical measures them all the same, each A/A', () => {
    const { comparison, measured, skipped, cost } = runBase(['--measure-identical']);
    expect(skipped).toEqual([]);
    expect(measured).toEqual([...attention, ...rmsnorm]);
    expect(comparison.results.every((r) => r.aa === true && r.current !== null)).toBe(true);
    expect(cost.notes).toEqual(['--measure-identical: every benchmark measured, identical code or not']);
  });

  it('(b) the RMSNorm kernel changed: RMSNorm measured, attention skipped', () => {
    buildBase(edits.rmsnormKernel);
    const { measured, skipped, comparison } = runBase();
    expect(measured).toEqual(rmsnorm);
    expect(skipped).toEqual(attention);
    expect(comparison.results.filter((r) => rmsnorm.includes(r.id)).every((r) => r.aa !== true)).toBe(true);
  });

  it('(c) the attention version the suite runs changed: attention measured, RMSNorm skipped', () => {
    buildBase(edits.attentionInUse);
    const { measured, skipped } = runBase();
    expect(measured).toEqual(attention);
    expect(skipped).toEqual(rmsnorm);
  });

  it('a kernel the suite does not run changed (the other attention version): nothing measured', () => {
    buildBase(edits.attentionUnused);
    const { measured, skipped } = runBase();
    expect(measured).toEqual([]);
    expect(skipped).toEqual([...attention, ...rmsnorm]);
  });

  it('(d) the harness changed: everything measured, and the report says why', () => {
    buildBase(edits.harness);
    const { measured, cost, run } = runBase();
    expect(measured).toEqual([...attention, ...rmsnorm]);
    expect(cost.notes).toEqual([expect.stringMatching(/^every benchmark measured: the harness differs between the two builds \(native\/src, native\/include or the CMake files: harness hash [0-9a-f]{12} here, [0-9a-f]{12} in the base\)$/)]);
    expect(run.stdout).toContain('cost: every benchmark measured: the harness differs between the two builds');
  });

  it('a base build whose identity file is missing, or holds another architecture only, is measured whole, saying why', () => {
    buildBase(null);
    const identityFile = join(base, 'native/build/Release/kernel-identity.json');
    const saved = readFileSync(identityFile, 'utf8');
    try {
      rmSync(identityFile);
      const missing = runBase();
      expect(missing.measured).toEqual([...attention, ...rmsnorm]);
      expect(missing.cost.notes).toEqual([`every benchmark measured: the kernel identities of the base (${sha.slice(0, 12)}) are unknown here: ${identityFile} is missing`]);
      writeFileSync(identityFile, JSON.stringify({ schemaVersion: 1, kernels: { sm_80: { k: 'a'.repeat(64) } } }));
      const elsewhere = runBase();
      expect(elsewhere.measured).toEqual([...attention, ...rmsnorm]);
      expect(elsewhere.cost.notes).toEqual([`every benchmark measured: the kernel identities of the base (${sha.slice(0, 12)}) are unknown here: ${identityFile} holds no CPU kernels (it holds sm_80)`]);
    } finally {
      writeFileSync(identityFile, saved);
    }
  });

  it('--measure-identical without a base is refused: a run against the baseline measures everything', () => {
    const run = ratchet(repository, ['--config', join(project, 'ratchet.config.json'), 'run', '--backend', 'cpu', '--measure-identical']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ratchet: --measure-identical: only with --base or --base-build (a run against the baseline measures everything)');
  });
});
