// The problems of a process source as a MeasureBackend: every session method is one request of
// the line protocol, every answer checked, so the stopping rule, interleaving, calibration and
// verdicts apply to a Python kernel exactly as to a native one.
import { RatchetError, type Benchmark, type ClockReading, type Correctness, type Device, type SampleBatch, type Work } from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend, SampleOptions } from './backend.js';
import type { ProcessSourceClient } from './process-source.js';

function broken(client: ProcessSourceClient, op: string, why: string): RatchetError {
  return new RatchetError('ERR_RATCHET_PROCESS', `process \`${client.command.join(' ')}\` answered '${op}' with ${why}`);
}

const finiteAtLeast = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isFinite(value) && value >= min;

function checkWork(client: ProcessSourceClient, value: unknown): Work {
  const work = value as Partial<Work> | null;
  if (!work || !finiteAtLeast(work.flops, 0) || !finiteAtLeast(work.bytes, 0)) throw broken(client, 'open', 'a work that is not {flops, bytes} (non-negative numbers)');
  return { flops: work.flops, bytes: work.bytes };
}

/** The optional output checksum: absent, or {sum: finite, absSum: finite >= 0} (what `sota` compares across sides). */
function checkChecksum(client: ProcessSourceClient, value: unknown): Pick<Correctness, 'checksum'> {
  if (value === undefined || value === null) return {};
  const checksum = value as Partial<NonNullable<Correctness['checksum']>>;
  if (typeof checksum !== 'object' || !finiteAtLeast(checksum.sum, -Infinity) || !finiteAtLeast(checksum.absSum, 0)) {
    throw broken(client, 'check', 'a checksum that is not {sum, absSum} (finite numbers, absSum >= 0)');
  }
  return { checksum: { sum: checksum.sum, absSum: checksum.absSum } };
}

function checkCorrectness(client: ProcessSourceClient, value: unknown): Correctness {
  const c = value as Partial<Correctness> | null;
  if (!c || typeof c.passed !== 'boolean' || !finiteAtLeast(c.maxAbsError, 0) || !finiteAtLeast(c.relError, 0) || !finiteAtLeast(c.tolerance, 0) || typeof c.reference !== 'string') {
    throw broken(client, 'check', 'a correctness that is not {passed, maxAbsError, relError, tolerance, reference}');
  }
  return {
    passed: c.passed, maxAbsError: c.maxAbsError, relError: c.relError, tolerance: c.tolerance, reference: c.reference,
    ...(typeof c.detail === 'string' ? { detail: c.detail } : {}), ...checkChecksum(client, c.checksum),
  };
}

function checkBatch(client: ProcessSourceClient, reply: Record<string, unknown>, asked: number): SampleBatch {
  const { samplesMs, clockMHz } = reply;
  if (!Array.isArray(samplesMs) || samplesMs.length !== asked || !samplesMs.every((ms) => finiteAtLeast(ms, 0) && ms > 0)) {
    throw broken(client, 'sample', `samplesMs that are not ${asked} positive milliseconds`);
  }
  const clocks = Array.isArray(clockMHz) && clockMHz.length === asked && clockMHz.every((mhz) => finiteAtLeast(mhz, 0) && mhz > 0) ? (clockMHz as number[]) : null;
  return { samplesMs: samplesMs as number[], clockMHz: clocks };
}

/** The process backend on `device` (the GPU or CPU its problems run on, as the addon reports it). */
export function processBackend(client: ProcessSourceClient, device: Device): MeasureBackend & { variants(benchmark: Benchmark): Promise<string[]> } {
  const unknownClock: ClockReading = { smClockMHz: null, throttleReasons: [] };
  return {
    device,
    variants: async (benchmark) => {
      const reply = await client.request({ op: 'variants', benchmark });
      if (!Array.isArray(reply.variants) || !reply.variants.every((v) => typeof v === 'string')) throw broken(client, 'variants', 'variants that are not a list of names');
      return reply.variants as string[];
    },
    open: async (benchmark, options = {}): Promise<BenchmarkSession> => {
      const reply = await client.request({ op: 'open', benchmark, ...(options.variant ? { variant: options.variant } : {}), seed: options.seed ?? Math.floor(Math.random() * 2 ** 31) });
      const session = reply.session;
      if (typeof session !== 'number' || typeof reply.variant !== 'string') throw broken(client, 'open', 'no session number or variant');
      const identity = typeof reply.identity === 'string' && reply.identity.length > 0 ? reply.identity : null;
      const work = checkWork(client, reply.work);
      let checked = false;
      return {
        variant: reply.variant,
        kernelIdentity: identity,
        work,
        check: async () => {
          const correctness = checkCorrectness(client, (await client.request({ op: 'check', session })).correctness);
          checked = correctness.passed;
          return correctness;
        },
        sample: async (sampleOptions: SampleOptions) => {
          // Correct first, here as in the native addon: only a checked kernel is timed.
          if (!checked) throw new RatchetError('ERR_RATCHET_USAGE', 'sample() before a passing check(): a kernel is timed only once its output is verified');
          const reply = await client.request({ op: 'sample', session, ...sampleOptions });
          return checkBatch(client, reply, sampleOptions.samples);
        },
        clock: () => unknownClock,
        close: async () => {
          await client.request({ op: 'close', session });
        },
      };
    },
  };
}
