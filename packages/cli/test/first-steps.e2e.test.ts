// What a new user hits first (issue 22, part 3), through the built CLI on scratch projects: what a
// first run stored, which suite a run times when the config brings problems of its own, and what
// is said where there is no config at all.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstStepsCases } from '../../../scripts/fault-cases-first-steps.mjs';
import { ratchet, scratchProject, startRatchet } from './cli-harness.js';
import { describeFaultRows } from './fault-rows.js';

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples');

/** A project whose config brings a Python problem (examples/python-cpu) and the suites given. */
function pythonProject(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-first-'));
  copyFileSync(join(examples, 'python-cpu/prefix_sum.py'), join(dir, 'prefix_sum.py'));
  writeFileSync(join(dir, 'ratchet.config.json'), JSON.stringify({ processes: [{ command: ['python3', 'prefix_sum.py'] }], ...config }));
  return dir;
}

const gpuPresent = (): boolean => {
  const listing = ratchet(tmpdir(), ['devices', '--json']);
  return (JSON.parse(listing.stdout) as { backend: string; devices: unknown[] }[]).some((entry) => entry.backend === 'cuda' && entry.devices.length > 0);
};

describe('a first run on a machine too noisy to store its figures', () => {
  it('says in the terminal and the report that nothing was stored, and why', () => {
    // A bound no real sample set meets: every first figure is "too noisy", as on a loaded machine.
    const dir = scratchProject({ thresholds: { newEntryMaxCvPct: 1e-9 } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 new, none stored: too noisy (robust cv over 1e-9%; a steadier run stores them) · report: results/report.md');
    expect(existsSync(join(dir, '.ratchet/baseline.json'))).toBe(false);
    const report = readdirSync(join(dir, 'results'));
    expect(report).toContain('report.md');
  });
});

describe('a config that brings problems of its own never gets Ratchet\'s built-in suite', () => {
  it.skipIf(gpuPresent())('with a cuda suite only, on a machine without a GPU: no GPU, exit 3, nothing timed or written', () => {
    const dir = pythonProject({ suites: { cuda: [{ kernel: 'prefix_sum', n: 4096 }] } });
    const run = ratchet(dir, ['run']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^ratchet: no GPU: .*, and ratchet\.config\.json declares problems of its own with a suite for cuda only \(suites\.cuda, 1 benchmark\): Ratchet's built-in suite is never timed in its place\. Run on a GPU host, add a suites\.cpu, or check the suites without a device: ratchet check\n$/);
    expect(readdirSync(dir).sort()).toEqual(['prefix_sum.py', 'ratchet.config.json']);
  });

  it('with no suite for the backend asked for: refused as bad input, naming the field', () => {
    const dir = pythonProject({});
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ratchet\.config\.json: suites\.cpu: no benchmarks for the cpu backend, and the config declares problems of its own \(plugins, processes\), so Ratchet's built-in suite is not timed in their place/);
    expect(readdirSync(dir).sort()).toEqual(['prefix_sum.py', 'ratchet.config.json']);
  });
});

describe('ratchet problems with one process that cannot run here', () => {
  const misbehave = resolve(examples, '../packages/core/test/processes/misbehave.py');

  it('lists everything, that process\'s problems marked unavailable with its reason (exit 0)', () => {
    const dir = pythonProject({ processes: [{ command: ['python3', 'prefix_sum.py'] }, { command: ['python3', misbehave, 'unavailable'] }], suites: { cpu: [{ kernel: 'prefix_sum', n: 8 }] } });
    const listed = ratchet(dir, ['--json', 'problems', '--backend', 'cpu']);
    expect(listed.status, listed.stderr).toBe(0);
    const problems = JSON.parse(listed.stdout) as { name: string; unavailable?: string }[];
    expect(problems.map((p) => `${p.name}${p.unavailable ? `: unavailable (${p.unavailable})` : ''}`).sort()).toEqual([
      'claims_pass: unavailable (no CUDA device here)', 'flash_fwd', 'nan_output: unavailable (no CUDA device here)', 'prefix_sum', 'raises: unavailable (no CUDA device here)', 'refuses: unavailable (no CUDA device here)',
      'rmsnorm', 'seeds: unavailable (no CUDA device here)', 'short_samples: unavailable (no CUDA device here)',
    ]);
    const text = ratchet(dir, ['problems', '--backend', 'cpu']);
    expect(text.stdout).toMatch(/^seeds {2}tells which seed each check drew its inputs from\n {2}from: process python3 \S+misbehave\.py unavailable; runs on: cpu\n {2}unavailable here: no CUDA device here\n/m);
  });

  it('lists everything it could ask, then names a process that cannot start (exit 3)', () => {
    const dir = pythonProject({ processes: [{ command: ['python3', 'prefix_sum.py'] }, { command: ['python3', 'missing.py'] }], suites: { cpu: [{ kernel: 'prefix_sum', n: 8 }] } });
    const listed = ratchet(dir, ['--json', 'problems', '--backend', 'cpu']);
    expect(listed.status).toBe(3);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((p) => p.name).sort()).toEqual(['flash_fwd', 'prefix_sum', 'rmsnorm']);
    expect(JSON.parse(listed.stderr)).toMatchObject({ error: { code: 'ERR_RATCHET_PROCESS', exitCode: 3, message: expect.stringMatching(/^process `python3 missing\.py` exited with code 2 \(stderr: .*missing\.py/) } });
  });
});

describe('ratchet check: every suite against the problems declared, no device needed', () => {
  const gpuScale = resolve(dirname(fileURLToPath(import.meta.url)), 'processes/gpu_scale.py');
  /** The Python CPU example and a GPU-only problem (it cannot run here) as processes, a C++ plugin built with g++. */
  function checkedProject(suites: Record<string, unknown[]>): string {
    const dir = pythonProject({ processes: [{ command: ['python3', 'prefix_sum.py'] }, { command: ['python3', gpuScale] }], plugins: ['build/libratchet_matmul.so'], suites });
    execFileSync('make', ['-C', join(examples, 'cpu-plugin'), `BUILD_DIR=${join(dir, 'build')}`], { stdio: 'ignore' });
    return dir;
  }

  it('says every misspelled kernel or parameter and every value out of range at once, file: field, then exit 2; nothing written', () => {
    const dir = checkedProject({
      cpu: [{ kernel: 'prefix_sum', n: 4096 }, { kernel: 'prefix_sun', n: 64 }, { kernel: 'matmul_f32', M: 64, N: 64, k: 64 }],
      cuda: [{ kernel: 'gpu_scale', dtype: 'fp8', n: 1024 }, { kernel: 'gpu_scale', dtype: 'fp16', n: 0 }, { kernel: 'prefix_sum', n: 8 }],
    });
    const before = readdirSync(dir).sort();
    const checked = ratchet(dir, ['check']);
    expect(checked.status).toBe(2);
    expect(checked.stderr.trimEnd().split('\n')).toEqual([
      "ratchet: ratchet.config.json: suites.cpu[1].kernel: no problem named 'prefix_sun' (did you mean 'prefix_sum'?) (known: flash_fwd, rmsnorm, matmul_f32, prefix_sum, gpu_scale; a plugin or process that declares it goes under \"plugins\" or \"processes\")",
      "ratchet: ratchet.config.json: suites.cpu[2]: unknown parameter 'k' of matmul_f32 (did you mean 'K'?) (its parameters: M, N, K)",
      'ratchet: ratchet.config.json: suites.cpu[2].K: missing: matmul_f32 needs K (an integer from 1 to 4096)',
      'ratchet: ratchet.config.json: suites.cuda[0].dtype: expected one of "fp16", "bf16" but received "fp8" (string)',
      'ratchet: ratchet.config.json: suites.cuda[1].n: expected an integer from 1 to 268435456 but received 0 (number)',
      'ratchet: ratchet.config.json: suites.cuda[2]: prefix_sum runs on cpu, not on the cuda backend',
      'ratchet: check: 6 faults in the suites of ratchet.config.json (above)',
    ]);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('passes a config whose GPU suite names a problem that cannot run here: one line, exit 0', () => {
    const dir = checkedProject({ cpu: [{ kernel: 'prefix_sum', n: 4096 }, { kernel: 'matmul_f32', M: 64, N: 64, K: 64 }], cuda: [{ kernel: 'gpu_scale', dtype: 'bf16', n: 1 << 24 }] });
    const checked = ratchet(dir, ['check']);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toBe('check: ratchet.config.json: 3 benchmarks match their problems (cpu: 2 of prefix_sum, matmul_f32; cuda: 1 of gpu_scale); 1 problem checked by its declaration alone (cannot run here)\n');
  });

  it('cannot check a suite whose process cannot start: exit 3, naming it', () => {
    const dir = pythonProject({ processes: [{ command: ['python3', 'nowhere.py'] }], suites: { cpu: [{ kernel: 'prefix_sum', n: 8 }] } });
    const checked = ratchet(dir, ['check']);
    expect(checked.status).toBe(3);
    expect(checked.stderr).toMatch(/^ratchet: cannot check the suites: process `python3 nowhere\.py` exited with code 2/);
  });
});

describe('SIGTERM to autotune while a problem process is stuck in a batch and ignores the signal', () => {
  it('ends: the process is killed after a short grace, "interrupted", exit 130, no tuning written', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'ratchet-stuck-')), 'stuck');
    const misbehave = resolve(examples, '../packages/core/test/processes/misbehave.py');
    const dir = scratchProject({ processes: [{ command: ['python3', misbehave, 'stuck', marker] }], suites: { cpu: [{ kernel: 'stuck' }] } });
    const tune = startRatchet(dir, ['autotune', '--backend', 'cpu', '--budget', '600']);
    while (!existsSync(marker)) await new Promise((done) => setTimeout(done, 50));
    const stuck = Number(readFileSync(marker, 'utf8'));
    tune.child.kill('SIGTERM');
    const result = await tune.done;
    expect(result.status).toBe(130);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('ratchet: interrupted (SIGTERM)');
    // Its own child: reaped by ratchet before it exited, so gone from /proc.
    expect(existsSync(`/proc/${stuck}`)).toBe(false);
    expect(existsSync(join(dir, '.ratchet/tuning.json'))).toBe(false);
  });
});

describe('ratchet history alone', () => {
  it('lists its subcommands on stdout and exits 0, as help does', () => {
    const listed = ratchet(tmpdir(), ['history']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^Usage: ratchet history \[options\] \[command\]\n[\s\S]*\n {2}import \[options\] <files\.\.\.> /);
    expect(listed.stderr).toBe('');
  });
});

describe('a run with no config at all', () => {
  it('says in one line which suite it times and where it writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-no-config-'));
    const run = ratchet(dir, ['run', '--backend', 'cpu', 'rmsnorm/fp16/rows256_cols1024']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(`no ratchet.config.json in ${dir}: timing Ratchet's built-in cpu suite (6 benchmarks of flash_fwd, rmsnorm), writing under .ratchet/ and results/`);
  });
});

describeFaultRows('the fault table\'s rows of issue 22 part 3 (scripts/fault-cases-first-steps.mjs)', firstStepsCases);
