// Every bad input and fault tried against `ratchet` (issue 16 and before): what each case sets up,
// the command, the exit status and what may be left on disk. Run them all with
// `node scripts/fault-table.mjs` (writes docs/faults.md); packages/cli/test/faults.e2e.test.ts
// runs a subset as regression tests. Groups of cases that need the machine (root, setpriv,
// chattr, unshare, git) live in scripts/fault-cases-system.mjs; the native addon's (a damaged or
// foreign prebuilt binary, an old driver) in scripts/fault-cases-native.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { deadPid, defaultCli, quickConfig, repoRoot } from './fault-runner.mjs';
import { installPythonPackage } from './python-package.mjs';
import { systemCases } from './fault-cases-system.mjs';
import { firstStepsCases } from './fault-cases-first-steps.mjs';
import { nativeCases } from './fault-cases-native.mjs';
import { fleetsCases } from './fault-cases-fleets.mjs';
import { harnessCases } from './fault-cases-harness.mjs';
import { nativeAddonPath } from '../native/dist/index.js';

const run = ['run', '--backend', 'cpu'];
const shape = (fields) => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false, ...fields });
const suite = (...benchmarks) => ({ suites: { cpu: benchmarks } });

function cudaDevicePresent() {
  const listing = spawnSync(process.execPath, [defaultCli, 'devices', '--json'], { encoding: 'utf8' });
  return listing.status === 0 && JSON.parse(listing.stdout).some((entry) => entry.backend === 'cuda' && entry.devices.length > 0);
}

/**
 * A tuning file (schema `version`) pinning cpu-rowwise on the seeded project's first benchmark,
 * chosen among `variants`; from schema 3 each candidate records its kernel identity (unknown here).
 */
function pinnedTuning(p, version, variants) {
  const { device, measurements } = p.json('results/current.json');
  const candidates = variants.map((variant) => ({
    variant, status: 'ok', medianMs: 1, samples: 30, ratio: variant === variants[0] ? null : 0.9, ratioCi: variant === variants[0] ? null : [0.88, 0.92],
    ...(version >= 3 ? { kernelIdentity: null } : {}),
  }));
  const entry = { variant: 'cpu-rowwise', defaultVariant: variants[0], speedup: 1.1, confidence: 0.975, candidates, tunedAt: '2026-12-01T00:00:00.000Z', sha: null };
  return { schemaVersion: version, devices: { [device.deviceKey]: { deviceName: device.name, benchmarks: { [measurements[0].id]: entry } } } };
}

/** Disk expectations: nothing changed, exactly these changes, or a check of its own. */
export const nothing = 'nothing';
export const exactly = (...expected) => (left) => JSON.stringify(left) === JSON.stringify([...expected].sort());
// A refusal says so in an error line of its own (`ratchet: <file>: ...`, or commander's `error: ...`).
const refusedBefore = { exit: 2, disk: nothing, message: /^(ratchet|error): / };

/** A bad ratchet.config.json: refused before measuring, nothing written (fresh project). */
const configCase = (id, title, config, item) => ({
  id, group: 'config', title, item, from: 'fresh', args: run, expect: refusedBefore,
  setup: (p) => (typeof config === 'string' ? p.write('ratchet.config.json', config) : p.config(config)),
});

const configCases = [
  configCase('config-not-json', 'ratchet.config.json is not JSON', '{"suites": {"cpu": ['),
  configCase('config-array', 'ratchet.config.json is an array', '[]'),
  configCase('config-unknown-key', 'an unknown key (`treshold`)', { treshold: {} }),
  configCase('suite-not-array', '`suites.cpu` is not an array', { suites: { cpu: {} } }),
  configCase('suite-empty', '`suites.cpu` is empty', { suites: { cpu: [] } }, 5),
  configCase('shape-missing-field', 'a benchmark without `D`', suite({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, causal: false })),
  configCase('shape-s-zero', '`S: 0`', suite(shape({ S: 0 }))),
  configCase('shape-s-fraction', '`S: 1.5`', suite(shape({ S: 1.5 }))),
  configCase('shape-s-string', '`S: "32"`', suite(shape({ S: '32' }))),
  configCase('shape-dtype', '`dtype: "fp8"`', suite(shape({ dtype: 'fp8' }))),
  configCase('shape-unknown-kernel', '`kernel: "layernorm"` (no such problem)', suite(shape({ kernel: 'layernorm' }))),
  configCase('shape-extra-field', 'a benchmark with an unknown field', suite(shape({ E: 4 }))),
  configCase('shape-duplicate', 'the same benchmark twice', suite(shape({}), shape({}))),
  configCase('shape-too-large', 'B4096 H64 S65536 D128: past the CPU memory cap', suite(shape({ B: 4096, H: 64, S: 65536, D: 128 }))),
  configCase('shape-hours', 'S = 10^7, D = 1: hours per call, within the memory cap', suite(shape({ S: 10_000_000, D: 1 })), 6),
  configCase('threshold-negative', '`thresholds.regressionPct: -1`', { thresholds: { regressionPct: -1 } }),
  configCase('threshold-alpha', '`thresholds.alpha: 2`', { thresholds: { alpha: 2 } }),
  configCase('budget-samples', '`maxSamples` below `minSamples`', { budgets: { cpu: { minSamples: 10, maxSamples: 5 } } }),
  configCase('budget-zero', '`budgets.cpu.minSamples: 0`', { budgets: { cpu: { minSamples: 0 } } }),
  configCase('budget-time', '`maxTimeMs` below `minTimeMs`', { budgets: { cpu: { minTimeMs: 100, maxTimeMs: 10 } } }),
  configCase('paths-type', '`paths.results: 3`', { paths: { results: 3 } }),
];

const pathCase = (id, title, paths, item, from = 'fresh') => ({
  id, group: 'paths', title, item, from, args: run, expect: refusedBefore, setup: (p) => p.config({ paths }),
});

const pathCases = [
  { ...pathCase('results-under-file', '`paths.results` under a file', { results: 'blocker/current.json' }), setup: (p) => (p.config({ paths: { results: 'blocker/current.json' } }), p.write('blocker', 'a file')) },
  { ...pathCase('results-is-dir', '`paths.results` is a directory', { results: 'results' }), setup: (p) => (p.config({ paths: { results: 'results' } }), p.write('results/keep', '')) },
  pathCase('results-proc', '`paths.results` under /proc (Node\'s recursive mkdir loops there)', { results: '/proc/ratchet-nowhere/current.json' }, 8),
  pathCase('report-proc', '`paths.report = /proc/self/status`', { report: '/proc/self/status' }, 8),
  pathCase('baseline-proc', '`paths.baseline` under /proc/self', { baseline: '/proc/self/ratchet/baseline.json' }, 8),
  pathCase('history-sys', '`paths.history` under /sys', { history: '/sys/ratchet/history.jsonl' }),
];

const usageCases = [
  ['usage-unknown-command', 'an unknown command', ['frobnicate']],
  ['usage-backend', '`--backend tpu`', ['run', '--backend', 'tpu']],
  ['usage-unknown-id', 'an unknown benchmark id', [...run, 'flash_fwd/fp16/B9_H9_S9_D9']],
  ['usage-id-twice', 'one id named twice', [...run, 'flash_fwd/fp16/B1_H1_S32_D16', 'flash_fwd/fp16/B1_H1_S32_D16']],
  ['usage-config-missing', '`--config nope.json`', ['--config', 'nope.json', ...run]],
  ['usage-config-dir', '`--config` names a directory', ['--config', '.ratchet', ...run]],
  ['usage-accept-nothing', '`accept` without ids or --all', ['accept', '--reason', 'x']],
  ['usage-accept-both', '`accept` with ids and --all', ['accept', '--all', 'flash_fwd/fp16/B1_H1_S32_D16', '--reason', 'x']],
  ['usage-accept-no-reason', '`accept --all` without --reason', ['accept', '--all']],
  ['usage-accept-empty-reason', '`accept --all --reason ""`', ['accept', '--all', '--reason', '']],
  ['usage-accept-unknown', '`accept` of an id not in the results', ['accept', 'flash_fwd/fp16/B9_H9_S9_D9', '--reason', 'x']],
  ['usage-report-format', '`report --format xml`', ['report', '--format', 'xml']],
  ['usage-calibrate-slowdowns', '`calibrate --slowdowns 3,x`', ['calibrate', '--backend', 'cpu', '--slowdowns', '3,x']],
  ['usage-calibrate-trials', '`calibrate --trials 0`', ['calibrate', '--backend', 'cpu', '--trials', '0']],
  ['usage-calibrate-suite-size', '`calibrate --suite-size 1` (a suite of 2)', ['calibrate', '--backend', 'cpu', '--suite-size', '1']],
  ['usage-autotune-budget', '`autotune --budget 0`', ['autotune', '--backend', 'cpu', '--budget', '0']],
  ['usage-peer-unknown', '`bench --peers tensorrt`', ['bench', '--backend', 'cpu', '--peers', 'tensorrt']],
  ['usage-peer-samples', '`bench --peers --peer-samples 2`', ['bench', '--backend', 'cpu', '--peers', '--peer-samples', '2']],
  ['usage-peer-timeout', '`bench --peers --peer-timeout 0`', ['bench', '--backend', 'cpu', '--peers', '--peer-timeout', '0']],
  ['usage-base-no-git', '`run --base HEAD` outside a git checkout', [...run, '--base', 'HEAD']],
  ['usage-base-build-missing', '`run --base-build /nonexistent`', [...run, '--base-build', '/nonexistent']],
  ['usage-ci-cost', '`ci --dry-run --gpu-cost-per-hour -1`', ['ci', '--dry-run', '--gpu-cost-per-hour', '-1']],
  ['usage-measure-identical', '`run --measure-identical` without a base (a run against the baseline measures everything)', [...run, '--measure-identical']],
  ['usage-history-export-format', '`history export --format csv`', ['history', 'export', '--format', 'csv']],
  ['usage-history-export-none', '`history export` with no run history', ['history', 'export']],
].map(([id, title, args]) => ({ id, group: 'usage', title, args, expect: refusedBefore }));

const environmentCases = [
  { id: 'env-cuda-missing', group: 'environment', title: '`--backend cuda` on a machine without a GPU', args: ['run', '--backend', 'cuda'], expect: { exit: 3, disk: nothing },
    needs: () => (cudaDevicePresent() ? 'a GPU is present here' : null) },
  { id: 'env-stale-head', group: 'environment', item: 4, title: '`run --base HEAD` timing an addon built from other sources than the checkout holds (`build.addon`)', args: [...run, '--base', 'HEAD'],
    setup: (p) => p.config({ build: { command: ['true'], addon: nativeAddonPath() } }), expect: { exit: 3, disk: nothing, message: /^ratchet: HEAD: .* from other sources than this checkout's/ } },
  { id: 'env-ci-token', group: 'environment', title: '`ci` without GITHUB_TOKEN (the verdict is still printed)', args: ['ci'], setup: () => ({ env: { GITHUB_TOKEN: '' } }), expect: { exit: 3, disk: nothing } },
  { id: 'env-python-protocol', group: 'environment', title: 'a Python process importing an installed ratchet-problem of another protocol version (0.9.0, protocol 0)', from: 'fresh', args: run,
    setup: (p) => {
      p.write('prefix_sum.py', readFileSync(join(repoRoot, 'examples/python-cpu/prefix_sum.py'), 'utf8'));
      p.config({ processes: [{ command: ['python3', 'prefix_sum.py'] }], suites: { cpu: [{ kernel: 'prefix_sum', n: 64 }] } });
      // Installed outside the project, as a virtual environment's site-packages is (beside it: its path reads alike in every run).
      const site = `${p.dir}-venv/lib/python3/site-packages`;
      mkdirSync(site, { recursive: true });
      installPythonPackage(site, { version: '0.9.0', protocol: 0 });
      return { env: { PYTHONPATH: site } };
    },
    expect: { exit: 3, disk: nothing, message: /^ratchet: process `python3 prefix_sum\.py` speaks protocol 0 through ratchet-problem 0\.9\.0 .*python3 -m pip install -U 'ratchet-problem==1\.\*'/ } },
];

/** A damaged state file: refused naming it, before measuring, left as it was. */
const stateCase = (id, group, title, setup, args = run, item = undefined) => ({ id, group, title, item, setup, args, expect: refusedBefore });
const cutHistory = (p) => p.write('.ratchet/history.jsonl', `${p.read('.ratchet/history.jsonl')}{"time":"2026-12-01T00:00:00.000Z","devi`);
const relabel = (p) => {
  const result = p.json('results/current.json');
  p.write('relabelled.json', { ...result, device: { ...result.device, deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90' } });
};

const stateCases = [
  stateCase('baseline-truncated', 'baseline', 'baseline.json cut short', (p) => p.write('.ratchet/baseline.json', p.read('.ratchet/baseline.json').slice(0, 100))),
  stateCase('baseline-empty', 'baseline', 'baseline.json empty', (p) => p.write('.ratchet/baseline.json', '')),
  stateCase('baseline-version', 'baseline', 'baseline.json of schemaVersion 99', (p) => p.write('.ratchet/baseline.json', { ...p.json('.ratchet/baseline.json'), schemaVersion: 99 })),
  stateCase('baseline-field', 'baseline', 'baseline.json with samplesMs a string', (p) => {
    const baseline = p.json('.ratchet/baseline.json');
    const device = Object.values(baseline.devices)[0];
    Object.values(device.benchmarks)[0].samplesMs = 'fast';
    p.write('.ratchet/baseline.json', baseline);
  }),
  stateCase('baseline-dir', 'baseline', 'baseline.json is a directory', (p) => {
    p.remove('.ratchet/baseline.json');
    p.write('.ratchet/baseline.json/inside', '');
  }),
  stateCase('history-cut', 'history', 'history.jsonl whose last line was cut (no newline)', cutHistory, run, 12),
  stateCase('history-cut-accept', 'history', '... then `accept --all`', cutHistory, ['accept', '--all', '--reason', 'x'], 12),
  stateCase('history-cut-compare', 'history', '... then `compare`', cutHistory, ['compare'], 12),
  stateCase('history-not-event', 'history', 'history.jsonl with a JSON line that is not an event', (p) => p.write('.ratchet/history.jsonl', `${p.read('.ratchet/history.jsonl')}{"event":"moved"}\n`)),
  stateCase('tuning-not-json', 'tuning', 'tuning.json not JSON', (p) => p.write('.ratchet/tuning.json', '{"schemaVersion": 1, "dev'), ['bench', '--backend', 'cpu']),
  stateCase('tuning-shape', 'tuning', 'tuning.json with an entry of the wrong shape', (p) => p.write('.ratchet/tuning.json', { schemaVersion: 1, devices: { x: { deviceName: 'x', benchmarks: { nonsense: {} } } } }), ['bench', '--backend', 'cpu']),
  stateCase('results-missing', 'results', '`compare --results none.json` (no such file)', () => {}, ['compare', '--results', 'none.json']),
  stateCase('results-not-json', 'results', '`compare` of a results file that is not JSON', (p) => p.write('r.json', '{"schemaVersion"'), ['compare', '--results', 'r.json']),
  stateCase('results-schema', 'results', '`compare` of a results file without measurements', (p) => p.write('r.json', { ...p.json('results/current.json'), measurements: undefined }), ['compare', '--results', 'r.json']),
  stateCase('results-duplicate', 'results', '`compare` of a results file with one id twice', (p) => {
    const result = p.json('results/current.json');
    p.write('r.json', { ...result, measurements: [result.measurements[0], result.measurements[0]] });
  }, ['compare', '--results', 'r.json']),
  stateCase('results-relabelled', 'results', '`compare` of a results file relabelled with an H100\'s device key', relabel, ['compare', '--results', 'relabelled.json'], 5),
  stateCase('results-relabelled-accept', 'results', '`accept --all` of that file', relabel, ['accept', '--all', '--reason', 'x', '--results', 'relabelled.json'], 5),
  stateCase('comparison-missing', 'results', '`report` with no comparison', () => {}, ['report', '--comparison', 'none.json']),
  stateCase('comparison-corrupt', 'results', '`report` of a comparison cut short', (p) => p.write('results/comparison.json', p.read('results/comparison.json').slice(0, 50)), ['report']),
  stateCase('comparison-corrupt-ci', 'results', '`ci --dry-run` of a comparison cut short', (p) => p.write('results/comparison.json', p.read('results/comparison.json').slice(0, 50)), ['ci', '--dry-run']),
];

const historyLines = (p) => p.read('.ratchet/history.jsonl').trimEnd().split('\n').map((line) => JSON.parse(line).event);
const lockRecord = (pid, host = hostname()) => ({ pid, host, command: 'ratchet run', since: '2026-12-01T00:00:00.000Z' });

/** Cases that run to the end: what they say and write is the point. */
const saidCases = [
  { id: 'baseline-other-device', group: 'said', item: 5, title: 'a baseline with entries for other devices only (`--no-ratchet`)', args: [...run, '--no-ratchet'],
    setup: (p) => {
      const baseline = p.json('.ratchet/baseline.json');
      p.write('.ratchet/baseline.json', { ...baseline, devices: { 'NVIDIA-H100-80GB-HBM3/sm90': Object.values(baseline.devices)[0] } });
    },
    expect: { exit: 0, disk: exactly('~results/comparison.json', '~results/current.json', '~results/report.md') } },
  { id: 'results-relabelled-judged', group: 'said', item: 5, title: '`compare --no-ratchet` of the relabelled file: judged, saying so', setup: relabel, args: ['compare', '--no-ratchet', '--results', 'relabelled.json'],
    expect: { exit: 0, disk: exactly('~results/comparison.json', '~results/report.md') } },
  { id: 'tuning-other-device', group: 'said', title: 'a tuning file of another device only', args: ['bench', '--backend', 'cpu'],
    setup: (p) => p.write('.ratchet/tuning.json', { schemaVersion: 1, devices: { 'NVIDIA-H100-80GB-HBM3/sm90': { deviceName: 'H100', benchmarks: {} } } }),
    expect: { exit: 0, disk: exactly('~results/current.json') } },
  { id: 'tuning-legacy-pin', group: 'said', title: 'a tuning entry of schema 2 (no kernel identities) pinning a variant', args: ['bench', '--backend', 'cpu'],
    setup: (p) => p.write('.ratchet/tuning.json', pinnedTuning(p, 2, ['cpu-blocked', 'cpu-rowwise'])),
    expect: { exit: 0, disk: exactly('~results/current.json'), message: /ignored, default variant used: it records no kernel identities/ } },
  { id: 'tuning-other-variants', group: 'said', title: 'a tuning entry chosen among variants this build no longer has', args: ['bench', '--backend', 'cpu'],
    setup: (p) => p.write('.ratchet/tuning.json', pinnedTuning(p, 3, ['cpu-blocked', 'cpu-rowwise', 'cpu-simd'])),
    expect: { exit: 0, disk: exactly('~results/current.json'), message: /ignored, default variant used: the variants changed since it was tuned \(cpu-simd gone\)/ } },
  { id: 'history-no-newline', group: 'said', item: 12, title: 'a valid last history line without its newline, then `accept --all`', args: ['accept', '--all', '--reason', 'tight'],
    setup: (p) => p.write('.ratchet/history.jsonl', p.read('.ratchet/history.jsonl').trimEnd()),
    expect: { exit: 0, disk: (left, p) => exactly('~.ratchet/baseline.json', '~.ratchet/history.jsonl')(left) && historyLines(p).join() === 'new,new,accept,accept' } },
  { id: 'lock-held', group: 'lock', item: 11, title: 'the lock held by a live process', args: run, setup: (p) => p.write('.ratchet/baseline.json.lock', lockRecord(process.pid)), expect: { exit: 3, disk: nothing, message: /held by pid \d+ \(ratchet run, since / } },
  { id: 'lock-held-accept', group: 'lock', item: 11, title: '... and `accept --all`', args: ['accept', '--all', '--reason', 'x'], setup: (p) => p.write('.ratchet/baseline.json.lock', lockRecord(process.pid)), expect: { exit: 3, disk: nothing, message: /held by pid \d+ \(ratchet run, since / } },
  { id: 'lock-other-host', group: 'lock', item: 11, title: 'the lock held on another host (never taken over)', args: run, setup: (p) => p.write('.ratchet/baseline.json.lock', lockRecord(deadPid, 'elsewhere')), expect: { exit: 3, disk: nothing, message: /held by pid \d+ on elsewhere/ } },
  { id: 'lock-garbage', group: 'lock', item: 11, title: 'a lock file that is not a lock record', args: run, setup: (p) => p.write('.ratchet/baseline.json.lock', 'garbage'), expect: { exit: 3, disk: nothing, message: /held by a process that left no readable record/ } },
  { id: 'lock-stale', group: 'lock', item: 11, title: 'a lock left by a dead process (SIGKILL)', args: run, setup: (p) => p.write('.ratchet/baseline.json.lock', lockRecord(deadPid)),
    expect: { exit: 0, disk: (left) => left.includes('-.ratchet/baseline.json.lock') } },
  { id: 'temps-stale', group: 'killed', item: 9, title: 'temporaries left by a killed writer (pid dead)', args: run,
    setup: (p) => {
      p.write(`.ratchet/.baseline.json.${deadPid}.deadbeef.tmp`, 'half a baseline');
      p.write(`results/.current.json.${deadPid}.0badf00d.tmp`, 'half a result');
    },
    expect: { exit: 0, disk: (left) => left.includes(`-.ratchet/.baseline.json.${deadPid}.deadbeef.tmp`) && left.includes(`-results/.current.json.${deadPid}.0badf00d.tmp`) } },
  { id: 'temps-live', group: 'killed', item: 9, title: 'a temporary of a live writer', args: run, setup: (p) => p.write(`.ratchet/.baseline.json.${process.pid}.cafef00d.tmp`, 'in progress'),
    expect: { exit: 0, disk: (left) => !left.some((change) => change.includes('cafef00d')) } },
  { id: 'control-run', group: 'control', title: 'a second `run` of unchanged code', args: run, expect: { exit: 0, disk: (left) => left.includes('~results/current.json') } },
  { id: 'control-no-ratchet', group: 'control', title: '`run --no-ratchet`', args: [...run, '--no-ratchet'], expect: { exit: 0, disk: exactly('~results/comparison.json', '~results/current.json', '~results/report.md') } },
  { id: 'control-compare', group: 'control', title: '`compare` of the saved results', args: ['compare'], expect: { exit: 0, disk: (left) => !left.some((c) => c.startsWith('+')) } },
  { id: 'control-accept', group: 'control', title: '`accept --all --reason ...`', args: ['accept', '--all', '--reason', 'on purpose'], expect: { exit: 0, disk: exactly('~.ratchet/baseline.json', '~.ratchet/history.jsonl') } },
  { id: 'control-first-run', group: 'control', title: 'a first `run` in a fresh project', from: 'fresh', args: run,
    expect: { exit: 0, disk: exactly('+.ratchet/baseline.json', '+.ratchet/history.jsonl', '+results/comparison.json', '+results/current.json', '+results/report.md') } },
];

// A Python check whose error is not finite, as examples/triton-softmax reports a NaN output. A
// whole problem file of its own, on purpose: a scratch project holds only its own files, so the
// test problems of packages/core/test/processes/ (misbehave.py) cannot serve; one line a method.
const infiniteCheck = `import ratchet_problem as rp


@rp.problem(name="nan_out", summary="writes NaN", params=[], variants=["v"], backend="cpu")
class NanOut:
    def __init__(self, params, variant, seed): pass
    def work(self): return {"flops": 1, "bytes": 1}
    def launch(self): pass
    def check(self, seed): return rp.result(False, float("inf"), float("inf"), 1e-3, "closed form", "NaN in the output")


if __name__ == "__main__":
    rp.serve()
`;

const historyCases = [
  { id: 'history-import-not-parquet', group: 'history', title: '`history import --format parquet` of a file that is not Parquet', args: ['history', 'import', '--format', 'parquet', 'notes.parquet'],
    setup: (p) => p.write('notes.parquet', 'not parquet'), expect: { exit: 0, disk: nothing, message: /^skipped notes\.parquet: not a Parquet file \(/ } },
  { id: 'history-import-parquet-missing', group: 'history', title: '`history import --format parquet` of a path that does not exist', args: ['history', 'import', '--format', 'parquet', 'none.parquet'], expect: refusedBefore },
];

const checkCases = [
  { id: 'check-infinite', group: 'checks', title: 'a Python check reporting an infinite error (NaN output)', from: 'fresh', args: run,
    setup: (p) => {
      p.write('nan_out.py', infiniteCheck);
      p.config({ processes: [{ command: ['python3', 'nan_out.py'] }], suites: { cpu: [{ kernel: 'nan_out' }] } });
    },
    expect: { exit: 1, disk: exactly('+results/comparison.json', '+results/current.json', '+results/report.md') } },
];

export const cases = [...configCases, ...pathCases, ...usageCases, ...environmentCases, ...stateCases, ...saidCases, ...historyCases, ...checkCases, ...systemCases, ...firstStepsCases, ...nativeCases, ...fleetsCases, ...harnessCases];
export { quickConfig };
