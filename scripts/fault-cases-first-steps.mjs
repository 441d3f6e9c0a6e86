// The fault cases of issue 22, "what a new user hits first" (item `22.3` in docs/faults.md): a
// config that brings problems of its own, inputs past what a file holds, problem processes that
// hang or clash, `ratchet check`. Collected by scripts/fault-cases.mjs.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCli, repoRoot } from './fault-runner.mjs';
import { running } from './fault-cases-system.mjs';
import { spawnSync } from 'node:child_process';

const run = ['run', '--backend', 'cpu'];
const item = '22.3';
const nothing = 'nothing';
const refused = { exit: 2, disk: nothing, message: /^ratchet: / };
const pythonExample = readFileSync(join(repoRoot, 'examples/python-cpu/prefix_sum.py'), 'utf8');
const prefixSum = { command: ['python3', 'prefix_sum.py'] };

function gpuPresent() {
  const listing = spawnSync(process.execPath, [defaultCli, 'devices', '--json'], { encoding: 'utf8' });
  return listing.status === 0 && JSON.parse(listing.stdout).some((entry) => entry.backend === 'cuda' && entry.devices.length > 0);
}

/** A project whose config brings the Python example as a process, with `config` over it. */
const withPython = (config) => (p) => {
  p.write('prefix_sum.py', pythonExample);
  p.config({ processes: [prefixSum], ...config });
};

const ownProblemCases = [
  { id: 'own-cuda-suite-no-gpu', group: 'config', item, title: 'a config with problems of its own and a `cuda` suite only, on a machine without a GPU', args: ['run'],
    setup: withPython({ suites: { cuda: [{ kernel: 'prefix_sum', n: 4096 }] } }), needs: () => (gpuPresent() ? 'a GPU is present here' : null),
    expect: { exit: 3, disk: nothing, message: /^ratchet: no GPU: .*Ratchet's built-in suite is never timed in its place/ } },
  { id: 'own-no-suite', group: 'config', item, title: 'a config with problems of its own and no suite for the backend', args: run,
    setup: withPython({ suites: {} }), expect: { ...refused, message: /suites\.cpu: no benchmarks for the cpu backend, and the config declares problems of its own/ } },
];

const deep = (levels) => `{"suites":{"cpu":${'['.repeat(levels)}1${']'.repeat(levels)}}}`;
const inputCases = [
  { id: 'config-deep', group: 'config', item, title: 'ratchet.config.json nested 5,000 levels deep', args: run,
    setup: (p) => p.write('ratchet.config.json', deep(5000)), expect: { ...refused, message: /nested more than 64 levels deep/ } },
  { id: 'config-bom', group: 'config', item, title: 'ratchet.config.json starting with a UTF-8 byte-order mark (read past, as Node and tsc do)', args: [...run, '--no-ratchet'],
    setup: (p) => (p.config({}), p.write('ratchet.config.json', `\uFEFF${p.read('ratchet.config.json')}`)),
    expect: { exit: 0, disk: (left) => left.includes('~results/current.json') } },
  { id: 'process-timeout-overflow', group: 'config', item, title: '`processes[0].timeoutMs: 3e9` (past what a Node timer holds)', args: run,
    setup: withPython({ processes: [{ ...prefixSum, timeoutMs: 3e9 }] }), expect: { ...refused, message: /processes\[0\]\.timeoutMs: expected a time in milliseconds above 0 and at most 2147483647/ } },
  { id: 'baseline-empty-samples', group: 'baseline', item, title: 'a baseline entry with `samplesMs: []` (refused before measuring)', args: run,
    setup: (p) => {
      const baseline = p.json('.ratchet/baseline.json');
      Object.values(Object.values(baseline.devices)[0].benchmarks)[0].samplesMs = [];
      p.write('.ratchet/baseline.json', baseline);
    },
    expect: { ...refused, message: /\.samplesMs: expected a non-empty array but received \[\]/ } },
  { id: 'baseline-infinite-median', group: 'baseline', item, title: 'a baseline median of `1e400` (Infinity once parsed)', args: run,
    setup: (p) => p.write('.ratchet/baseline.json', p.read('.ratchet/baseline.json').replace(/"median": [0-9.e+-]+/, '"median": 1e400')),
    expect: { ...refused, message: /summary\.median: expected a positive number but received Infinity \(number\)/ } },
];

/** A problem process of packages/core/test/processes/misbehave.py in `mode`; it writes a pid to a file outside the project. */
const misbehaving = (mode) => ({ command: ['python3', join(repoRoot, 'packages/core/test/processes/misbehave.py'), mode, join(mkdtempSync(join(tmpdir(), 'ratchet-pid-')), 'pid')] });
const backgroundJob = misbehaving('background-child');
/** The job stopped, within a generous guard: a killed process releases its pipes a moment before it is a zombie. */
const jobStopped = () => {
  const pid = Number(readFileSync(backgroundJob.command.at(-1), 'utf8'));
  for (let waited = 0; running(pid) && waited < 60_000; waited += 50) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  return !running(pid);
};
const hangCases = [
  { id: 'process-background-job', group: 'processes', item, title: 'a Python problem that leaves a job of its own running (holding the pipes): the run ends, the job stopped', args: run,
    setup: (p) => p.config({ processes: [backgroundJob], suites: { cpu: [{ kernel: 'seeds' }] } }),
    expect: { exit: 0, disk: (left) => left.includes('~results/current.json') && jobStopped() } },
  { id: 'process-name-clash', group: 'processes', item, title: 'a process problem named as a built-in one (`flash_fwd`)', args: run,
    setup: (p) => p.config({ processes: [{ command: misbehaving('clash').command.slice(0, -1) }] }), expect: { ...refused, message: /problem 'flash_fwd' is declared twice: by the built-in problems and by process python3 / } },
];

const problemsCases = [
  { id: 'problems-unavailable', group: 'processes', item, title: '`problems` with one process that cannot run here: the rest listed, its problems marked unavailable', args: ['problems', '--backend', 'cpu'],
    setup: (p) => p.config({ processes: [{ command: misbehaving('unavailable').command.slice(0, -1) }] }), expect: { exit: 0, disk: nothing } },
  { id: 'problems-cannot-start', group: 'processes', item, title: '`problems` with one process that cannot start: the rest listed, then its error', args: ['problems', '--backend', 'cpu'],
    setup: (p) => p.config({ processes: [{ command: ['/nonexistent/python3', 'x.py'] }] }), expect: { exit: 3, disk: nothing, message: /^ratchet: process `\/nonexistent\/python3 x\.py` cannot start/ } },
];

const attention = { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false };
const checkCases = [
  { id: 'check-faults', group: 'check', item, title: '`check` of suites with a misspelled kernel, a misspelled parameter and a value out of range (all said, file: field)', args: ['check'],
    setup: (p) => p.config({ suites: { cpu: [{ ...attention, kernel: 'flash_fw' }], cuda: [{ ...attention, S: 0 }, { ...attention, d: 16, D: undefined }] } }),
    expect: { ...refused, message: /^ratchet: check: 4 faults in the suites of ratchet\.config\.json \(above\)$/ } },
  { id: 'check-cannot-start', group: 'check', item, title: '`check` with a process that cannot start', args: ['check'],
    setup: withPython({ processes: [{ command: ['python3', 'nowhere.py'] }] }), expect: { exit: 3, disk: nothing, message: /^ratchet: cannot check the suites: process `python3 nowhere\.py` exited with code 2/ } },
  { id: 'check-ok', group: 'check', item, title: '`check` of the scratch project (built-in problems, no GPU needed for the cuda suite)', args: ['check'],
    setup: (p) => p.config({ suites: { cpu: [attention], cuda: [attention] } }), expect: { exit: 0, disk: nothing } },
];

const usageCases = [
  { id: 'usage-history-alone', group: 'usage', item, title: '`history` without a subcommand: its subcommands listed', args: ['history'], expect: { exit: 0, disk: nothing } },
  { id: 'usage-history-unknown', group: 'usage', item, title: '`history imprt` (no such subcommand)', args: ['history', 'imprt'], expect: { exit: 2, disk: nothing, message: /^error: unknown command 'imprt' of 'history' \(its commands: import, export, checkout, push\)/ } },
];

const stuck = misbehaving('stuck');
const signalCases = [
  { id: 'sigterm-autotune-stuck-process', group: 'signals', item, title: 'SIGTERM to `autotune` while a problem process ignores it, stuck in a batch: killed after a 2 s grace',
    setup: (p) => p.config({ processes: [stuck], suites: { cpu: [{ kernel: 'stuck' }] } }),
    run: (p, { cli, runCli }) => runCli(cli, p.dir, ['autotune', '--backend', 'cpu', '--budget', '600'], {
      onSpawn: async (child) => {
        while (!existsSync(stuck.command.at(-1))) await new Promise((resolve) => setTimeout(resolve, 20));
        child.kill('SIGTERM');
      },
    }),
    expect: { exit: 130, disk: nothing, message: /^ratchet: interrupted \(SIGTERM\)$/ } },
];

export const firstStepsCases = [...ownProblemCases, ...inputCases, ...hangCases, ...problemsCases, ...checkCases, ...usageCases, ...signalCases];
