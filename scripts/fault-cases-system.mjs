// The fault cases that need the machine: another uid (setpriv), immutable files (chattr), a full
// disk (a tiny tmpfs in a user namespace: unshare), signals, two runs at once, a base build.
// Each says what it needs; runCase reports it skipped where that is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { endlessBudget, hasCommand, repoRoot, snapshot } from './fault-runner.mjs';
import { nativeAddonPath } from '../native/dist/index.js';

const run = ['run', '--backend', 'cpu'];
const nobody = 65534;
const isRoot = process.getuid?.() === 0;
const nothing = 'nothing';
const announced = /takes at least .*Ctrl-C stops it\n/;

/** Gone, or a zombie nobody has reaped yet: either way it runs no more. */
export function running(pid) {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function chattrWorks() {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-chattr-'));
  const file = join(dir, 'f');
  writeFileSync(file, '');
  const works = spawnSync('chattr', ['+i', file]).status === 0;
  spawnSync('chattr', ['-i', file]);
  rmSync(dir, { recursive: true, force: true });
  return works;
}

const needsChattr = () => (chattrWorks() ? null : 'chattr +i (immutable files) is not available here');
const needsNobody = () => (!isRoot || hasCommand('setpriv') ? null : 'root writes anywhere: needs setpriv to run as nobody');
const needsUnshare = () => (spawnSync('unshare', ['-Urm', 'true']).status === 0 ? null : 'unshare -Urm (a user namespace for a tiny tmpfs) is not allowed here');
const needsGit = () => (hasCommand('git') ? null : 'git is not installed');

/** Runs as `nobody` on files `nobody` owns, so only the directory's mode stands in the way. */
function readOnlyCase(id, title, directory, item) {
  return {
    id, group: 'writes', item, title, needs: needsNobody, args: run, expect: { exit: 2, disk: nothing, message: /cannot write here \(cannot create a file in .*: permission denied\)$/ },
    setup: (p) => {
      if (isRoot) {
        for (const entry of ['', ...Object.keys(snapshot(p.dir)), '.ratchet', 'results']) chownSync(p.path(entry), nobody, nobody);
      }
      chmodSync(p.path(directory), 0o555);
      return { prefix: isRoot ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--'] : [] };
    },
    cleanup: (p) => chmodSync(p.path(directory), 0o755),
  };
}

/** An immutable file (chattr +i: even root cannot replace it): refused before measuring. */
function immutableCase(id, title, file, item, moreSetup = () => {}) {
  return {
    id, group: 'writes', item, title, needs: needsChattr, args: run,
    setup: (p) => {
      moreSetup(p);
      execFileSync('chattr', ['+i', p.path(file)]);
    },
    cleanup: (p) => execFileSync('chattr', ['-i', p.path(file)]),
    expect: { exit: 2, disk: nothing, message: /: cannot write here \((EPERM: operation not permitted: the file is read-only or immutable|cannot create a file in .*: permission denied)\)$/ },
  };
}

/** A third shape, so the run moves the baseline (and so writes the history too). */
const oneMoreShape = (p) => {
  const config = p.json('ratchet.config.json');
  config.suites.cpu.push({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 16, D: 8, causal: false });
  p.write('ratchet.config.json', config);
};

/** results/ on a 16 KiB tmpfs holding the last run's files: the new results cannot be staged. */
const diskFull = {
  id: 'disk-full', group: 'writes', item: 7, title: 'results/ on a full disk (a 16 KiB tmpfs holding the last run\'s files)', needs: needsUnshare,
  // The tmpfs lives in the namespace only: what was on it is listed before and after, there.
  expect: { exit: 2, disk: (left, _p, outcome) => left.length === 0 && outcome.listedAfter === outcome.listedBefore, message: /cannot write \(ENOSPC: no space left on device\)$/ },
  run: async (p, { cli, runCli }) => {
    const results = p.path('results');
    const [keep, before, after] = ['results', 'before', 'after'].map((what) => `${p.dir}.${what}`);
    const script = [
      `cp -a '${results}' '${keep}'`, `mount -t tmpfs -o size=16k none '${results}'`, `cp -a '${keep}/.' '${results}/'`,
      `ls -A '${results}' > '${before}'`, `'${process.execPath}' '${cli}' run --backend cpu; rc=$?`, `ls -A '${results}' > '${after}'`, 'exit $rc',
    ].join('\n');
    const outcome = await runCli(cli, p.dir, [], { prefix: ['unshare', '-Urm', 'sh', '-c', script], bare: true });
    const listed = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null);
    return { ...outcome, listedBefore: listed(before), listedAfter: listed(after) };
  },
};

const signalCase = (id, title, signal, exit, expectDisk) => ({
  id, group: 'signals', item: signal === 'SIGKILL' ? 9 : 10, title, from: 'fresh', args: run,
  setup: (p) => (p.config({ budgets: endlessBudget }), { until: announced, signal }),
  expect: { exit, disk: expectDisk, message: signal === 'SIGKILL' ? /takes at least/ : new RegExp(`^ratchet: interrupted \\(${signal}\\)$`) },
});

/** Two runs at once on a fresh project: one waits its turn or finds the lock held, never both write. */
const concurrent = {
  id: 'two-runs-at-once', group: 'lock', item: 11, title: 'two `run`s at once in one checkout', from: 'fresh',
  expect: { exit: ['0+0', '0+3'], disk: (left, p) => JSON.stringify(p.read('.ratchet/history.jsonl').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'new').map((e) => e.benchmarkId).sort()) === JSON.stringify(['flash_fwd/bf16/B1_H1_S24_D8_causal', 'flash_fwd/fp16/B1_H1_S32_D16']) },
  run: async (p, { cli, runCli }) => {
    const both = await Promise.all([runCli(cli, p.dir, run), runCli(cli, p.dir, run)]);
    return { status: both.map((o) => o.status).sort().join('+'), stderr: both.map((o) => o.stderr).join('\n') };
  },
};

/** A repository whose "native build" starts a grandchild that would outlive it, as cmake starts make and nvcc. */
const baseBuild = {
  id: 'sigterm-base-build', group: 'signals', item: 10, title: 'SIGTERM during `run --base`\'s build of the base', from: 'fresh', needs: needsGit,
  setup: (p) => {
    p.config({ budgets: endlessBudget, build: { command: ['node', 'native/scripts/build.mjs'] } });
    p.write('native/scripts/build.mjs', "import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\nconst sleeper = spawn('sleep', ['1000'], { stdio: 'inherit' });\nwriteFileSync('build-started', String(sleeper.pid));\n");
    const git = (...args) => execFileSync('git', ['-c', 'user.name=faults', '-c', 'user.email=faults@example.com', ...args], { cwd: p.dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'a base to build');
  },
  run: async (p, { cli, runCli }) => {
    let sleeper = null;
    const outcome = await runCli(cli, p.dir, [...run, '--base', 'HEAD'], {
      onSpawn: async (child) => {
        const cache = p.path('.ratchet-cache');
        const marker = () => (existsSync(cache) ? readdirSync(cache).map((name) => join(cache, name, 'build-started')).find(existsSync) : undefined);
        while (!marker()) await new Promise((resolve) => setTimeout(resolve, 20));
        sleeper = Number(readFileSync(marker(), 'utf8'));
        child.kill('SIGTERM');
      },
    });
    return { ...outcome, sleeperRunning: sleeper !== null && running(sleeper) };
  },
  expect: { exit: 130, disk: (left, _p, outcome) => !outcome.sleeperRunning && left.every((change) => change.startsWith('+.ratchet-cache/')), message: /^ratchet: interrupted \(SIGTERM\)$/ },
};

/** The project committed as the base of a relative run (a pull request's merge base), then `change`d as the PR would. */
function baseThenChange(p, base, change) {
  p.config(base);
  const git = (...args) => execFileSync('git', ['-c', 'user.name=faults', '-c', 'user.email=faults@example.com', ...args], { cwd: p.dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'the base');
  p.config(change);
}

/** Issue 22: a pull request does not set its own gate; relative mode judges with the base's config. */
const gateCases = [
  {
    id: 'gate-base-config-invalid', group: 'gate', from: 'fresh', needs: needsGit, args: [...run, '--base', 'HEAD'],
    title: "`run --base HEAD` where the base commit's `ratchet.config.json` is not valid (the head's is)",
    setup: (p) => baseThenChange(p, { thresholds: { alpha: 2 } }, {}),
    expect: { exit: 2, disk: nothing, message: /^ratchet: [0-9a-f]{12}:ratchet\.config\.json: thresholds\.alpha: expected a number between 0 and 1/ },
  },
  {
    id: 'gate-pr-loosens', group: 'gate', from: 'fresh', needs: needsGit, args: [...run, '--base', 'HEAD'],
    title: 'a pull request that sets `relativeRegressionPct: 50` and drops a benchmark from the suite, `run --base HEAD`',
    setup: (p) => baseThenChange(p, {}, { suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false }] }, thresholds: { newEntryMaxCvPct: 1e6, relativeRegressionPct: 50 } }),
    expect: {
      exit: [0, 1],
      // Judged at the base's 1.5, the dropped benchmark measured and reported, the report leading with both.
      disk: (left, p) => {
        const comparison = p.json('results/comparison.json');
        return comparison.thresholds.regressionPct === 1.5 && comparison.results.length === 2
          && JSON.stringify(comparison.relative.gate.removed) === JSON.stringify([{ id: 'flash_fwd/bf16/B1_H1_S24_D8_causal', measured: true }])
          && p.read('results/report.md').includes('- `relativeRegressionPct`: 1.5 → 50 (looser: judged at 1.5)');
      },
    },
  },
];

/**
 * A base checkout built elsewhere (`run --base-build`): this repository's native sources and its
 * built addon, copied (so its build-info.json vouches for them); `identity` is written as its
 * kernel-identity.json (null: none).
 */
function prebuiltBase(identity) {
  const base = mkdtempSync(join(tmpdir(), 'ratchet-base-'));
  for (const dir of ['kernels', 'native/src', 'native/include']) cpSync(join(repoRoot, dir), join(base, dir), { recursive: true });
  cpSync(join(repoRoot, 'native/CMakeLists.txt'), join(base, 'native/CMakeLists.txt'));
  const release = join(base, 'native/build/Release');
  mkdirSync(release, { recursive: true });
  for (const file of ['ratchet_native.node', 'build-info.json']) cpSync(join(dirname(nativeAddonPath()), file), join(release, file));
  if (identity !== null) writeFileSync(join(release, 'kernel-identity.json'), identity);
  return base;
}

/** Issue 29: run --base skips identical code only where both builds can name it; else everything is measured, saying why. */
function identityCase(id, title, identity, said) {
  let base = null;
  return {
    id, group: 'identity', from: 'fresh', needs: needsGit, title, args: [...run, '--base-build', '<a copy of this checkout\'s sources and addon>'],
    setup: (p) => {
      base = prebuiltBase(identity);
      const config = {
        build: { command: ['true'], addon: 'native/build/Release/ratchet_native.node' },
        budgets: { cpu: { warmup: 1, minSamples: 30, maxSamples: 120, minTimeMs: 30, maxTimeMs: 600 } },
        thresholds: { newEntryMaxCvPct: 1e6, relativeRegressionPct: 50, improvementPct: 50 },
      };
      baseThenChange(p, config, config);
    },
    run: (p, { cli, runCli }) => runCli(cli, p.dir, [...run, '--base-build', base]),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
    expect: {
      exit: 0,
      disk: (left, p) => JSON.stringify(left) === JSON.stringify(['+results/base.json', '+results/comparison.json', '+results/current.json', '+results/report.md'])
        && p.json('results/comparison.json').relative.cost.skipped === 0 && p.json('results/current.json').measurements.length === 2,
      messageAnywhere: true,
      message: new RegExp(`^note: every benchmark measured: the kernel identities of the base build are unknown here: <tmp>/ratchet-base-\\w+/native/build/Release/kernel-identity\\.json ${said}$`),
    },
  };
}

const identityCases = [
  identityCase('identity-base-missing', '`run --base-build` of a base whose kernel-identity.json is missing', null, 'is missing'),
  identityCase('identity-base-unreadable', '... whose kernel-identity.json is cut short', '{"schemaVersion": 1, "kern', 'could not be read \\(.*JSON.*\\)'),
  identityCase('identity-base-other-arch', '... whose kernel-identity.json holds machine code of another architecture only (sm_80)', JSON.stringify({ schemaVersion: 1, kernels: { sm_80: { k: 'a'.repeat(64) } } }), 'holds no CPU kernels \\(it holds sm_80\\)'),
];

export const systemCases = [
  readOnlyCase('readonly-ratchet', 'a read-only `.ratchet/` (files writable, directory not: chmod 555 as uid nobody)', '.ratchet', 7),
  readOnlyCase('readonly-results', 'a read-only `results/` (chmod 555 as uid nobody)', 'results', 7),
  immutableCase('immutable-baseline', 'an immutable baseline.json (chattr +i) when the baseline moves', '.ratchet/baseline.json', 7, oneMoreShape),
  immutableCase('immutable-history', 'an immutable history.jsonl when the baseline moves', '.ratchet/history.jsonl', 7, oneMoreShape),
  immutableCase('immutable-report', 'an immutable report.md, the last file of the write set', 'results/report.md', 7, oneMoreShape),
  immutableCase('immutable-dir', 'an immutable `.ratchet/` directory (chattr +i): its files writable, no new file possible', '.ratchet', 7, oneMoreShape),
  diskFull,
  signalCase('sigint-measuring', 'SIGINT while measuring a first run', 'SIGINT', 130, nothing),
  signalCase('sigterm-measuring', 'SIGTERM while measuring a first run', 'SIGTERM', 130, nothing),
  signalCase('sigkill-measuring', 'SIGKILL while measuring a first run (the lock stays, for the next run to recover)', 'SIGKILL', 'SIGKILL',
    (left) => JSON.stringify(left) === JSON.stringify(['+.ratchet/baseline.json.lock'])),
  baseBuild,
  concurrent,
  ...gateCases,
  ...identityCases,
];
