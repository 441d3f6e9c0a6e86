import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Device } from '@ratchet/types';
import { measureBenchmark } from './measure.js';
import { processBackend } from './process-backend.js';
import { openProblemSources } from './problem-sources.js';
import { startProcessSource } from './process-source.js';

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
