import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Device } from '@ratchet/types';
import { installPythonPackage } from '../../../scripts/python-package.mjs';
import { measureBenchmark } from './measure.js';
import { processBackend } from './process-backend.js';
import { openProblemSources } from './problem-sources.js';
import { processProtocolVersion, pythonHelperDir, startProcessSource } from './process-source.js';

const here = dirname(fileURLToPath(import.meta.url));
const example = resolve(here, '../../../examples/python-cpu');
const misbehave = (mode: string, timeoutMs = 60_000) => ({ command: ['python3', join(here, '../test/processes/misbehave.py'), mode], timeoutMs });
const cpu: Device = {
  backend: 'cpu', name: 'test cpu', deviceKey: 'cpu/test', computeCapability: null, multiprocessorCount: 1, l2CacheBytes: null,
  memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};
const budget = { warmup: 1, minSamples: 10, maxSamples: 40, minTimeMs: 1, maxTimeMs: 2_000, targetRelCiHalfWidth: 0.5, l2Flush: false, launchesPerSample: 1 };

// Each case starts a Python interpreter (seconds on a loaded machine): allow what the requests allow.
const spawning = { timeout: 120_000 };

describe('a process source (the Python CPU example)', spawning, () => {
  it('declares its problems, and its kernel is checked then measured like a native one', async () => {
    const client = await startProcessSource({ command: ['python3', 'prefix_sum.py'] }, example);
    try {
      expect(client.problems.map((p) => [p.name, p.variants, p.backends, p.source])).toEqual([
        ['prefix_sum', ['accumulate', 'loop'], ['cpu'], { kind: 'process', command: ['python3', 'prefix_sum.py'] }],
      ]);
      const backend = processBackend(client, cpu);
      expect(await backend.variants({ kernel: 'prefix_sum', n: 64 })).toEqual(['accumulate', 'loop']);
      const m = await measureBenchmark(backend, { kernel: 'prefix_sum', n: 512 }, { budget, variantFor: () => 'loop' });
      expect(m).toMatchObject({ status: 'ok', variant: 'loop', flops: 512, bytes: 8192, correctness: { passed: true, reference: 'python-neumaier' } });
      expect(m.samplesMs.length).toBeGreaterThanOrEqual(10);
      expect(m.kernelIdentity).toMatch(/^py:[0-9a-f]{64}$/);
    } finally {
      await client.close();
    }
  });

  it('reports a kernel the process does not declare as the kernel failing, and keeps serving', async () => {
    const client = await startProcessSource({ command: ['python3', 'prefix_sum.py'] }, example);
    try {
      const backend = processBackend(client, cpu);
      await expect(Promise.resolve(backend.open({ kernel: 'nope' }))).rejects.toMatchObject({ code: 'ERR_RATCHET_KERNEL_FAILED', message: "python3 prefix_sum.py: 'open' failed: this process declares no problem named 'nope'" });
      expect((await backend.variants({ kernel: 'prefix_sum', n: 8 })).length).toBe(2);
    } finally {
      await client.close();
    }
  });
});

describe('a process source that breaks the protocol', spawning, () => {
  const cases: [string, ReturnType<typeof misbehave>, RegExp][] = [
    ['exits at once', misbehave('exit'), /misbehave\.py exit` exited with code 3/],
    ['prints garbage', misbehave('garbage'), /answered 'hello' with a line that is not JSON: hello, I am not JSON/],
    ['hangs past its time limit', misbehave('hang', 300), /did not answer 'hello' within 0\.3 s, so it was stopped/],
    ['declares a parameter that cannot hold a value', misbehave('bad-spec'), /problems\[0\]\.params\[0\]: max 1 is below min 5/],
  ];
  for (const [what, source, message] of cases) {
    it(`${what}: one ERR_RATCHET_PROCESS naming the command`, async () => {
      await expect(startProcessSource(source, here)).rejects.toMatchObject({ code: 'ERR_RATCHET_PROCESS', message: expect.stringMatching(message) });
    });
  }

  it('cannot be started: the program is named', async () => {
    await expect(startProcessSource({ command: ['/nonexistent/python3', 'x.py'] }, here)).rejects.toMatchObject({ code: 'ERR_RATCHET_PROCESS', message: expect.stringMatching(/cannot start: \/nonexistent\/python3 not found/) });
  });

  it('dies in the middle of a run: the request in flight fails, naming the exit', async () => {
    const client = await startProcessSource(misbehave('crash-on-open'), here);
    await expect(Promise.resolve(processBackend(client, cpu).open({ kernel: 'p' }))).rejects.toMatchObject({ code: 'ERR_RATCHET_PROCESS', message: expect.stringMatching(/exited with code 9/) });
  });

  it('answers a sample with the wrong number of times, or its own code raises', async () => {
    const short = await startProcessSource(misbehave('short-samples'), here);
    try {
      const session = await processBackend(short, cpu).open({ kernel: 'short_samples' });
      await session.check();
      await expect(Promise.resolve(session.sample({ warmup: 0, samples: 5, l2Flush: false, launchesPerSample: 1 }))).rejects.toMatchObject({ code: 'ERR_RATCHET_PROCESS', message: expect.stringMatching(/answered 'sample' with samplesMs that are not 5 positive milliseconds/) });
      const raising = await processBackend(short, cpu).open({ kernel: 'raises' });
      await expect(Promise.resolve(raising.check())).rejects.toMatchObject({ code: 'ERR_RATCHET_KERNEL_FAILED', message: expect.stringMatching(/ZeroDivisionError: the kernel divided by zero \(misbehave\.py:\d+\)/) });
    } finally {
      await short.close();
    }
  });

  it('a problem that refuses a shape is ERR_RATCHET_UNSUPPORTED_SHAPE, its reason first', async () => {
    const client = await startProcessSource(misbehave('seeds'), here);
    try {
      await expect(Promise.resolve(processBackend(client, cpu).open({ kernel: 'refuses' }))).rejects.toMatchObject({
        code: 'ERR_RATCHET_UNSUPPORTED_SHAPE', message: expect.stringMatching(/^this variant needs D <= 128 \(`python3 .*misbehave\.py seeds` refused the shape at 'open'\)$/),
      });
    } finally {
      await client.close();
    }
  });
});

describe('what a process tells beside its problems', spawning, () => {
  it('checks first on the seed it was opened with, then on the next ones, and its checksum comes through', async () => {
    const client = await startProcessSource(misbehave('seeds'), here);
    try {
      expect(client.software).toBe('misbehave 1.0');
      expect(client.unavailable).toBeNull();
      const session = await processBackend(client, cpu).open({ kernel: 'seeds' }, { seed: 41 });
      expect(await session.check()).toMatchObject({ reference: 'inputs of seed 41', checksum: { sum: -1.5, absSum: 2.5 } });
      expect((await session.check()).reference).toBe('inputs of seed 42');
    } finally {
      await client.close();
    }
  });

  it('a check with a NaN or infinite figure is a failed check, however it says it ended: the kernel is invalid, never timed', async () => {
    const client = await startProcessSource(misbehave('seeds'), here);
    try {
      const backend = processBackend(client, cpu);
      const nan = await backend.open({ kernel: 'nan_output' });
      expect(await nan.check()).toEqual({
        passed: false, maxAbsError: Number.MAX_VALUE, relError: Number.MAX_VALUE, tolerance: 1e-3, reference: 'closed form',
        detail: 'NaN in the output (not finite: maxAbsError Infinity, relError NaN, checksum.sum NaN, checksum.absSum Infinity)',
      });
      await nan.close();
      expect(await Promise.resolve((await backend.open({ kernel: 'claims_pass' })).check())).toEqual({
        passed: false, maxAbsError: 0, relError: Number.MAX_VALUE, tolerance: 1e-3, reference: 'closed form', detail: 'not finite: relError Infinity', checksum: { sum: 1, absSum: 2 },
      });
      const measured = await measureBenchmark(backend, { kernel: 'claims_pass' }, { budget });
      expect(measured).toMatchObject({ status: 'invalid', samplesMs: [], summary: null });
      // What the results file keeps reads back as it was written: JSON has no infinity to lose.
      expect(JSON.parse(JSON.stringify(measured.correctness))).toEqual(measured.correctness);
    } finally {
      await client.close();
    }
  });

  it('a process of the config that cannot run its problems here stops the run as the environment (ERR_RATCHET_NO_DEVICE)', async () => {
    const native = { problems: [], open: () => Promise.reject(new Error('unused')), variants: () => [] };
    await expect(openProblemSources({ device: cpu, backend: 'cpu', native, processes: [misbehave('unavailable')], root: here })).rejects.toMatchObject({
      code: 'ERR_RATCHET_NO_DEVICE', message: expect.stringMatching(/misbehave\.py unavailable` cannot run its problems here: no CUDA device here$/),
    });
  });
});

/** Gone, or a zombie nobody has reaped yet: either way it runs no more. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('listing (nothing runs): one process that cannot run here or cannot start never hides the rest', spawning, () => {
  it('keeps the problems of a process that cannot run here, marked with its reason, and sets aside one that cannot start', async () => {
    const native = { problems: [], open: () => Promise.reject(new Error('unused')), variants: () => [] };
    const sources = await openProblemSources({
      device: cpu, backend: 'cpu', native, root: here, unavailable: 'list',
      processes: [misbehave('unavailable'), { command: ['python3', join(example, 'prefix_sum.py')] }, { command: ['/nonexistent/python3', 'x.py'] }],
    });
    try {
      const misbehaving = ['claims_pass', 'nan_output', 'raises', 'refuses', 'seeds', 'short_samples'];
      expect([...sources.catalog.keys()].sort()).toEqual([...misbehaving, 'prefix_sum'].sort());
      expect(Object.fromEntries(sources.unavailable)).toEqual(Object.fromEntries(misbehaving.map((name) => [name, 'no CUDA device here'])));
      expect(sources.broken.map(({ command, error }) => [command, error.code, error.message])).toEqual([
        [['/nonexistent/python3', 'x.py'], 'ERR_RATCHET_PROCESS', 'process `/nonexistent/python3 x.py` cannot start: /nonexistent/python3 not found'],
      ]);
    } finally {
      await sources.close();
    }
  });
});

/**
 * Whether `pid` stops running within a generous guard: a killed process releases its pipes a
 * moment before the kernel marks it a zombie, so right after close() it may still be exiting.
 */
async function stops(pid: number, guardMs = 60_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < guardMs; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (!running(pid)) return true;
  }
  return false;
}

describe('a process source that leaves something behind ends anyway (no hang, children stopped)', spawning, () => {
  const pidFile = () => join(mkdtempSync(join(tmpdir(), 'ratchet-pid-')), 'pid');
  const pidIn = (file: string) => Number(readFileSync(file, 'utf8'));

  it('a problem that starts a job of its own and leaves it running (holding our pipes): close() ends, and the job is stopped with it', async () => {
    const file = pidFile();
    const client = await startProcessSource({ command: ['python3', join(here, '../test/processes/misbehave.py'), 'background-child', file] }, here);
    const job = pidIn(file);
    expect(running(job)).toBe(true);
    await client.close();
    expect(await stops(job)).toBe(true);
  });

  it('two processes declaring one name: the error names both, and both processes are stopped before it is thrown', async () => {
    const [first, second] = [pidFile(), pidFile()];
    const clash = (file: string) => ({ command: ['python3', join(here, '../test/processes/misbehave.py'), 'clash', file] });
    const native = { problems: [], open: () => Promise.reject(new Error('unused')), variants: () => [] };
    await expect(openProblemSources({ device: cpu, backend: 'cpu', native, processes: [clash(first), clash(second)], root: here })).rejects.toMatchObject({
      code: 'ERR_RATCHET_PLUGIN', message: expect.stringMatching(/^problem '\w+' is declared twice: by process python3 \S+misbehave\.py clash \S+ and by process python3 \S+misbehave\.py clash \S+$/),
    });
    expect([await stops(pidIn(first)), await stops(pidIn(second))]).toEqual([true, true]);
  });
});

/** Starts the CPU example with `site` (a directory of installed packages) on the caller's PYTHONPATH, as a user's environment has it. */
async function exampleWith(site: string) {
  const saved = process.env.PYTHONPATH;
  process.env.PYTHONPATH = site;
  try {
    return await startProcessSource({ command: ['python3', 'prefix_sum.py'] }, example);
  } finally {
    if (saved === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = saved;
  }
}

describe('which copy of ratchet_problem answers, and the protocol it speaks', spawning, () => {
  it("the copy Ratchet ships speaks this Ratchet's protocol, its major version the protocol's, and says so at hello", async () => {
    const version = readFileSync(join(pythonHelperDir, 'ratchet_problem/_version.py'), 'utf8');
    expect(version).toContain(`PROTOCOL = ${processProtocolVersion}\n`);
    expect(version).toMatch(new RegExp(`__version__ = "${processProtocolVersion}\\.\\d+\\.\\d+"`));
    const client = await startProcessSource({ command: ['python3', 'prefix_sum.py'] }, example);
    await client.close();
    expect(client.package).toEqual({ name: 'ratchet-problem', version: /__version__ = "([^"]+)"/.exec(version)![1], path: join(pythonHelperDir, 'ratchet_problem') });
  });

  it('an installed ratchet-problem of the same protocol is used rather than the shipped copy', async () => {
    const site = mkdtempSync(join(tmpdir(), 'ratchet-site-'));
    installPythonPackage(site, { version: `${processProtocolVersion}.9.0`, protocol: processProtocolVersion });
    const client = await exampleWith(site);
    try {
      expect(client.package).toEqual({ name: 'ratchet-problem', version: `${processProtocolVersion}.9.0`, path: join(site, 'ratchet_problem') });
      const m = await measureBenchmark(processBackend(client, cpu), { kernel: 'prefix_sum', n: 256 }, { budget });
      expect(m).toMatchObject({ status: 'ok', correctness: { passed: true } });
    } finally {
      await client.close();
    }
  });

  it('an installed package of an older protocol: one ERR_RATCHET_PROCESS naming both versions, where it is, and the pip line that fixes it', async () => {
    const site = mkdtempSync(join(tmpdir(), 'ratchet-site-'));
    const older = processProtocolVersion - 1;
    installPythonPackage(site, { version: `${older}.4.0`, protocol: older });
    await expect(exampleWith(site)).rejects.toMatchObject({
      code: 'ERR_RATCHET_PROCESS',
      message: `process \`python3 prefix_sum.py\` speaks protocol ${older} through ratchet-problem ${older}.4.0 (${join(site, 'ratchet_problem')}), this Ratchet speaks protocol ${processProtocolVersion}: ` +
        `install the package this Ratchet speaks: python3 -m pip install -U 'ratchet-problem==${processProtocolVersion}.*' (or python3 -m pip uninstall ratchet-problem, and the copy Ratchet ships is used)`,
    });
  });

  it('an installed package of a newer protocol: upgrade Ratchet, or install the package this one speaks', async () => {
    const site = mkdtempSync(join(tmpdir(), 'ratchet-site-'));
    const newer = processProtocolVersion + 1;
    installPythonPackage(site, { version: `${newer}.0.0`, protocol: newer });
    await expect(exampleWith(site)).rejects.toMatchObject({
      code: 'ERR_RATCHET_PROCESS',
      message: expect.stringMatching(new RegExp(`speaks protocol ${newer} through ratchet-problem ${newer}\\.0\\.0 \\(.*\\), this Ratchet speaks protocol ${processProtocolVersion}: ` +
        `upgrade Ratchet to one that speaks protocol ${newer}, or install the package this one speaks: python3 -m pip install 'ratchet-problem==${processProtocolVersion}\\.\\*'$`)),
    });
  });

  it('a process that is not ratchet_problem and speaks another protocol is told the version it must answer with', async () => {
    await expect(startProcessSource(misbehave('protocol-2'), here)).rejects.toMatchObject({
      code: 'ERR_RATCHET_PROCESS', message: expect.stringMatching(/misbehave\.py protocol-2` speaks protocol 2, this Ratchet speaks protocol 1: it must answer hello with protocol 1 \(docs\/problem-contract\.md\)$/),
    });
  });
});
