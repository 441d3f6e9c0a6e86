// The problems of a process source as a MeasureBackend: every session method is one request of
// the line protocol, every answer checked, so the stopping rule, interleaving, calibration and
// verdicts apply to a Python kernel exactly as to a native one. What each answer may hold is
// defined once, in @ratchet/types' protocol schemas (schema/ratchet-protocol.schema.json).
import {
  ChecksumSchema, OpenReplySchema, ProtocolCorrectnessSchema, RatchetError, SampleReplySchema, VariantsReplySchema, WorkSchema, matches,
  type Benchmark, type ClockReading, type Correctness, type Device, type SampleBatch, type Work,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend, SampleOptions } from './backend.js';
import type { ProcessSourceClient } from './process-source.js';

function broken(client: ProcessSourceClient, op: string, why: string): RatchetError {
  return new RatchetError('ERR_RATCHET_PROCESS', `process \`${client.command.join(' ')}\` answered '${op}' with ${why}`);
}

/**
 * A number as the line protocol carries it. JSON has no NaN or infinities, so a process sends
 * them by name (the Python package ratchet_problem does, wherever they occur); anywhere but a check's figures a
 * name is refused as any non-number is.
 */
export type ProtocolNumber = number | 'NaN' | 'Infinity' | '-Infinity';

const namedNumbers: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/** A ProtocolNumber's value; undefined for anything else. */
function protocolNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && Object.hasOwn(namedNumbers, value) ? namedNumbers[value] : undefined;
}

/** A figure a check reported: non-negative, or not finite (which fails the check); undefined when it is neither. */
function checkFigure(value: unknown): number | undefined {
  const figure = protocolNumber(value);
  return figure !== undefined && (!Number.isFinite(figure) || figure >= 0) ? figure : undefined;
}

function checkWork(client: ProcessSourceClient, value: unknown): Work {
  if (!matches(WorkSchema, value)) throw broken(client, 'open', 'a work that is not {flops, bytes} (non-negative numbers)');
  const work = value as Work;
  return { flops: work.flops, bytes: work.bytes };
}

/** The optional output checksum: absent, or {sum, absSum >= 0}, either possibly not finite (what `sota` compares across sides). */
function checkChecksum(client: ProcessSourceClient, value: unknown): Pick<Correctness, 'checksum'> {
  if (value === undefined || value === null) return {};
  if (!matches(ChecksumSchema, value)) throw broken(client, 'check', 'a checksum that is not {sum, absSum} (numbers, absSum >= 0)');
  const checksum = value as Record<string, unknown>;
  return { checksum: { sum: protocolNumber(checksum.sum)!, absSum: checkFigure(checksum.absSum)! } };
}

/**
 * Where a non-finite figure leaves a check: failed, whatever it said (a NaN error is no pass),
 * each such figure stored as the largest double, as the native checks store theirs (Ratchet's
 * files are JSON), and named in the detail; a non-finite checksum is dropped.
 */
function failedOnNonFinite(c: Correctness): Correctness {
  const figures = { maxAbsError: c.maxAbsError, relError: c.relError, tolerance: c.tolerance, ...(c.checksum ? { 'checksum.sum': c.checksum.sum, 'checksum.absSum': c.checksum.absSum } : {}) };
  const nonFinite = Object.entries(figures).filter(([, value]) => !Number.isFinite(value));
  if (nonFinite.length === 0) return c;
  const stored = (value: number) => (Number.isFinite(value) ? value : Number.MAX_VALUE);
  const said = `not finite: ${nonFinite.map(([name, value]) => `${name} ${String(value)}`).join(', ')}`;
  const { checksum: _, ...rest } = c;
  const finiteChecksum = c.checksum && Number.isFinite(c.checksum.sum) && Number.isFinite(c.checksum.absSum) ? { checksum: c.checksum } : {};
  return {
    ...rest, passed: false, maxAbsError: stored(c.maxAbsError), relError: stored(c.relError), tolerance: stored(c.tolerance),
    detail: c.detail ? `${c.detail} (${said})` : said, ...finiteChecksum,
  };
}

function checkCorrectness(client: ProcessSourceClient, value: unknown): Correctness {
  // The checksum is checked on its own below, with a message of its own.
  const c = (typeof value === 'object' && value !== null ? { ...value, checksum: undefined } : value) as Record<string, unknown>;
  if (!matches(ProtocolCorrectnessSchema, c)) throw broken(client, 'check', 'a correctness that is not {passed, maxAbsError, relError, tolerance, reference}');
  const checked = value as Record<string, unknown>;
  return failedOnNonFinite({
    passed: c.passed as boolean, maxAbsError: checkFigure(c.maxAbsError)!, relError: checkFigure(c.relError)!, tolerance: checkFigure(c.tolerance)!, reference: c.reference as string,
    ...(typeof c.detail === 'string' ? { detail: c.detail } : {}), ...checkChecksum(client, checked.checksum),
  });
}

function checkBatch(client: ProcessSourceClient, reply: Record<string, unknown>, asked: number): SampleBatch {
  const { samplesMs, clockMHz } = reply;
  const { samplesMs: samplesSchema, clockMHz: clocksSchema } = SampleReplySchema.properties;
  if (!matches(samplesSchema, samplesMs) || (samplesMs as number[]).length !== asked) {
    throw broken(client, 'sample', `samplesMs that are not ${asked} positive milliseconds`);
  }
  // Clocks are optional: any that are not one per sample are read as unknown.
  const clocks = clockMHz !== null && matches(clocksSchema, clockMHz) && (clockMHz as number[]).length === asked ? (clockMHz as number[]) : null;
  return { samplesMs: samplesMs as number[], clockMHz: clocks };
}

/** The process backend on `device` (the GPU or CPU its problems run on, as the addon reports it). */
export function processBackend(client: ProcessSourceClient, device: Device): MeasureBackend & { variants(benchmark: Benchmark): Promise<string[]> } {
  const unknownClock: ClockReading = { smClockMHz: null, throttleReasons: [] };
  return {
    device,
    variants: async (benchmark) => {
      const reply = await client.request({ op: 'variants', benchmark });
      if (!matches(VariantsReplySchema.properties.variants, reply.variants)) throw broken(client, 'variants', 'variants that are not a list of names');
      return reply.variants as string[];
    },
    open: async (benchmark, options = {}): Promise<BenchmarkSession> => {
      const reply = await client.request({ op: 'open', benchmark, ...(options.variant ? { variant: options.variant } : {}), seed: options.seed ?? Math.floor(Math.random() * 2 ** 31) });
      const session = reply.session;
      if (!matches(OpenReplySchema.properties.session, session) || !matches(OpenReplySchema.properties.variant, reply.variant)) throw broken(client, 'open', 'no session number or variant');
      const identity = typeof reply.identity === 'string' && reply.identity.length > 0 ? reply.identity : null;
      const work = checkWork(client, reply.work);
      let checked = false;
      return {
        variant: reply.variant as string,
        kernelIdentity: identity,
        // Only the process can say whether its identity covers all its code (protocol: `identityCoversCode`).
        identityCoversCode: identity !== null && reply.identityCoversCode === true,
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
