import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MoveEvent } from '@ratchet/types';
import { cliBin, ratchet, scratchProject, snapshot, startRatchet, writeScratchConfig } from './cli-harness.js';

const quick = {
  suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false }, { kernel: 'flash_fwd', dtype: 'bf16', B: 1, H: 1, S: 24, D: 8, causal: true }] },
  budgets: { cpu: { warmup: 1, minSamples: 5, maxSamples: 40, minTimeMs: 5, maxTimeMs: 100 } },
};
// Above the kernel's largest pid_max (2^22): no process can have it.
const deadPid = 2 ** 22 + 1;
const nobody = 65534;
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

function chattr(flag: '+i' | '-i', path: string): boolean {
  return spawnSync('chattr', [flag, path]).status === 0;
}

describe('all or nothing (issue 16 item 7)', () => {
  // Root writes anywhere, so a read-only .ratchet/ is made real by running the CLI as `nobody`
  // (setpriv) on files `nobody` owns: the files are writable, their directory is not, which is
  // what the atomic write (temp file and rename in that directory) needs.
  it.skipIf(isRoot && !hasSetpriv)('a read-only .ratchet/ is exit 2 before measuring, and nothing changes', () => {
    const dir = scratchProject(quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const before = snapshot(dir);
    const asNobody = isRoot ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--'] : [];
    if (isRoot) {
      for (const path of [dir, ...Object.keys(before).map((f) => join(dir, f)), join(dir, '.ratchet'), join(dir, 'results')]) chownSync(path, nobody, nobody);
    }
    chmodSync(join(dir, '.ratchet'), 0o555);
    const [file, ...args] = [...asNobody, process.execPath, cliBin, 'run', '--backend', 'cpu'];
    const run = spawnSync(file!, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    chmodSync(join(dir, '.ratchet'), 0o755);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`ratchet: ${join(dir, '.ratchet/baseline.json')}: cannot write here (cannot create a file in ${join(dir, '.ratchet')}: permission denied)\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  // An immutable history (chattr +i: even root cannot replace it) is seen before measuring; the
  // rename that fails after others have landed is outputs.test.ts's (the set is put back).
  it('an immutable history is refused before measuring when the baseline would move: nothing changes', () => {
    const dir = scratchProject(quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const history = join(dir, '.ratchet/history.jsonl');
    const before = snapshot(dir);
    if (!chattr('+i', history)) return void console.warn('skipped: chattr +i is not supported here');
    try {
      const run = ratchet(dir, ['run', '--backend', 'cpu']);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`ratchet: ${history}: cannot write here (EPERM: operation not permitted: the file is read-only or immutable)\n`);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      chattr('-i', history);
    }
  });
});

describe('paths under /proc (issue 16 item 8)', () => {
  it.each([
    ['results', '/proc/ratchet-nowhere/current.json', 'cannot create a file in /proc: this file system takes no new files'],
    ['report', '/proc/self/status', 'cannot create a file in /proc/self: this file system takes no new files'],
  ])('paths.%s = %s is exit 2 at once, and nothing is written', (key, path, why) => {
    const dir = scratchProject({ ...quick, paths: { [key]: path } });
    const run = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`ratchet: ${path}: cannot write here (${why})\n`);
    expect(Object.keys(snapshot(dir))).toEqual(['ratchet.config.json']);
  });
});

describe('what a killed run leaves (issue 16 item 9)', () => {
  it('the next run removes stale temporaries of its own naming; a live writer\'s are left alone', () => {
    const dir = scratchProject(quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const stale = [`.ratchet/.baseline.json.${deadPid}.deadbeef.tmp`, `.ratchet/.history.jsonl.${deadPid}.0badf00d.bak`, `results/.current.json.${deadPid}.12345678.tmp`];
    const live = `.ratchet/.baseline.json.${process.pid}.cafef00d.tmp`;
    for (const name of [...stale, live]) writeFileSync(join(dir, name), 'half-written');
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    for (const name of stale) expect(existsSync(join(dir, name)), name).toBe(false);
    expect(existsSync(join(dir, live))).toBe(true);
  });

  it('a run killed with SIGKILL while measuring has written nothing, and its lock is recovered by the next run', async () => {
    const dir = scratchProject({ ...quick, budgets: { cpu: { ...quick.budgets.cpu, minTimeMs: 600_000, maxTimeMs: 1_200_000, maxSamples: 1e9 } } });
    const running = startRatchet(dir, ['run', '--backend', 'cpu']);
    await running.printed(/takes at least .*Ctrl-C stops it\n/);
    running.child.kill('SIGKILL');
    expect((await running.done).status).toBeNull();
    expect(Object.keys(snapshot(dir)).sort()).toEqual(['.ratchet/baseline.json.lock', 'ratchet.config.json']);
    // Back to the quick budget, with the scratch projects' load-proof thresholds (a first run on a busy
    // machine could be too noisy to store, and then wrote nothing at all).
    writeScratchConfig(dir, quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    expect(readdirSync(join(dir, '.ratchet')).sort()).toEqual(['baseline.json', 'history.jsonl']);
  }, 180_000);
});

describe('the lock (issue 16 item 11)', () => {
  it('a live holder is named and nothing changes (exit 3); a dead one is taken over', () => {
    const dir = scratchProject(quick);
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    const lock = join(dir, '.ratchet/baseline.json.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), command: 'ratchet run', since: '2026-12-01T00:00:00.000Z' }));
    const before = snapshot(dir);
    for (const args of [['run', '--backend', 'cpu'], ['accept', '--all', '--reason', 'x'], ['autotune', '--backend', 'cpu', '--budget', '1']]) {
      const held = ratchet(dir, args);
      expect(held.status, args[0]).toBe(3);
      expect(held.stderr).toBe(`ratchet: ${lock}: held by pid ${process.pid} (ratchet run, since 2026-12-01T00:00:00.000Z): another ratchet is reading and writing the baseline, history and tuning files; wait for it to finish (delete the lock only if that process is not ratchet)\n`);
    }
    expect(snapshot(dir)).toEqual(before);
    writeFileSync(lock, JSON.stringify({ pid: deadPid, host: hostname(), command: 'ratchet run', since: '2026-12-01T00:00:00.000Z' }));
    expect(ratchet(dir, ['run', '--backend', 'cpu']).status).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('two runs at once in one checkout lose no update: one waits its turn or is refused, never both write', async () => {
    const dir = scratchProject(quick);
    const [first, second] = await Promise.all([startRatchet(dir, ['run', '--backend', 'cpu']).done, startRatchet(dir, ['run', '--backend', 'cpu']).done]);
    const statuses = [first.status, second.status].sort();
    // Either the second ran after the first (both 0) or it found the lock held (3); never two writers.
    expect([[0, 0], [0, 3]]).toContainEqual(statuses);
    const events = readFileSync(join(dir, '.ratchet/history.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as MoveEvent);
    expect(events.filter((e) => e.event === 'new').map((e) => e.benchmarkId).sort()).toEqual(['flash_fwd/bf16/B1_H1_S24_D8_causal', 'flash_fwd/fp16/B1_H1_S32_D16']);
  });
});
