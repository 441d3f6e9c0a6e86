import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { backends } from './device.js';
import { BenchmarkForm, Bool, Finite, Int, KernelName, NonEmptyString, NonNegative, Nullable, OneOf, PositiveArray, schemaId, Str } from './schema-parts.js';

// The line protocol between Ratchet and a problem process (docs/problem-contract.md), defined once:
// one schema per message, each way, and schema/ratchet-protocol.schema.json, from which a problem
// server can be written in any language. Ratchet sends one request per line on the process's stdin
// and reads one reply per line from its stdout, in order.
//
// The objects are open (no `additionalProperties: false`): each side ignores fields it does not
// know, so a server may say more than Ratchet reads, and Ratchet reads only what these name.

const request = <P extends Parameters<typeof Type.Object>[0]>(op: string, properties: P, description: string) =>
  Type.Object({ op: Type.Literal(op), ...properties }, { title: `request ${op}`, description });
const reply = <P extends Parameters<typeof Type.Object>[0]>(op: string, properties: P, description: string) =>
  Type.Object({ ok: Type.Literal(true), ...properties }, { title: `reply to ${op}`, description });

/** The session number a process gave at `open`: Ratchet sends it back as it came. */
const Session = () => Finite({ description: 'The session number the process gave at `open`, sent back as it came.' });

export const HelloRequestSchema = request('hello', {
  protocol: Int(1, { description: 'The protocol version Ratchet speaks (1).' }),
}, 'The first request: which problems the process serves, and the protocol it speaks.');

export const VariantsRequestSchema = request('variants', {
  benchmark: BenchmarkForm(),
}, 'Which variants of its problem run this benchmark (the shape).');

export const OpenRequestSchema = request('open', {
  benchmark: BenchmarkForm(),
  variant: Type.Optional(NonEmptyString({ description: 'The variant to open; absent: the first that runs the shape.' })),
  seed: Int(0, { description: 'Seed of the inputs (random, never zeros); the first check runs on it, each later one on the next.' }),
}, 'Opens a session: the kernel of one benchmark, its inputs made from the seed.');

export const CheckRequestSchema = request('check', { session: Session() }, "Checks the session's output against the problem's reference, on fresh inputs.");

export const SampleRequestSchema = request('sample', {
  session: Session(),
  warmup: Int(0, { description: 'Untimed calls first.' }),
  samples: Int(1, { description: 'How many times to take; the reply holds exactly this many.' }),
  l2Flush: Bool({ description: 'Flush the L2 cache before each sample (GPU problems).' }),
  launchesPerSample: Int(1, { description: 'Calls per sample; the time of a sample is per call.' }),
  extraUs: Type.Optional(NonNegative({ description: 'A busy-wait of this many microseconds inside each timed sample: a slowdown of known size (tests).' })),
}, 'Times the session: sent only after a check that passed.');

export const CloseRequestSchema = request('close', { session: Session() }, 'Ends the session.');

/** A number as the protocol carries it: JSON has no NaN or infinities, so they are sent by name. */
const namedNumbers = ['NaN', 'Infinity', '-Infinity'] as const;
const ProtocolNumber = (description?: string) => Type.Union([Finite(), OneOf(namedNumbers)], description ? { description } : {});
/** A check's figure: non-negative, or not finite (sent by name), which fails the check. */
const ProtocolFigure = (description: string) => Type.Union([NonNegative(), OneOf(namedNumbers)], { description });
const ParamName = () => Str({ pattern: '^[A-Za-z][A-Za-z0-9]*$', errorMessage: 'a parameter name of letters and digits, starting with a letter' });

export const ParamSpecSchema = Type.Union([
  Type.Object({ name: ParamName(), type: Type.Literal('int'), min: Type.Integer(), max: Type.Integer(), values: Type.Optional(Type.Array(Type.Integer(), { minItems: 1 })), description: Type.Optional(Str()) }),
  Type.Object({ name: ParamName(), type: Type.Literal('enum'), values: Type.Array(KernelName(), { minItems: 1 }), description: Type.Optional(Str()) }),
  Type.Object({ name: ParamName(), type: Type.Literal('bool'), description: Type.Optional(Str()) }),
], { description: 'A parameter: `int` within [min, max] (or one of `values`), `enum` (one of `values`), or `bool`. Its name: letters and digits, starting with a letter.' });

/** A problem as a process declares it at hello (ProblemSpec without `source`, which Ratchet adds). */
export const DeclaredProblemSchema = Type.Object({
  name: KernelName({ description: 'The `kernel` of its benchmarks.' }),
  summary: Str({ description: 'One line: what it computes.' }),
  params: Type.Array(ParamSpecSchema, { description: 'Its parameters, in the order of the benchmark id.' }),
  variants: Type.Array(NonEmptyString(), { minItems: 1, description: 'Every variant it offers, the default first.' }),
  backends: Type.Array(OneOf(backends), { minItems: 1 }),
}, { description: 'A problem as the process declares it (docs/problem-contract.md).' });

export const HelloReplySchema = reply('hello', {
  protocol: Int(1, { description: 'The protocol the process speaks: Ratchet refuses another one, naming both.' }),
  problems: Type.Array(DeclaredProblemSchema),
  package: Type.Optional(Type.Object({ name: Str(), version: Str(), path: Type.Optional(Nullable(Str())) }, {
    description: 'The helper library that answers (ratchet_problem: `ratchet-problem`, its version and where it was imported from).',
  })),
  software: Type.Optional(Str({ description: 'What the problems run on, in words (`torch 2.11.0+cu130`), shown beside their figures.' })),
  unavailable: Type.Optional(Str({ description: 'Why the problems cannot run on this machine at all (no CUDA device): Ratchet says so instead of opening anything.' })),
}, 'The problems the process serves.');

export const VariantsReplySchema = reply('variants', { variants: Type.Array(Str()) }, 'The variants that run the shape, by name.');

export const WorkSchema = Type.Object({ flops: NonNegative(), bytes: NonNegative() }, { description: 'The work of one call: what turns a time into TFLOP/s, GB/s and % of the roof.' });

export const OpenReplySchema = reply('open', {
  session: Finite({ description: 'A number the process chooses for the session.' }),
  variant: Str({ description: 'The variant opened.' }),
  work: WorkSchema,
  identity: Type.Optional(Nullable(Str({
    description: 'What code the session times (equal identities: the same code; empty or null: unknown). Two sides of `run --base` with equal identities may be skipped.',
  }))),
  identityCoversCode: Type.Optional(Bool({ description: 'The identity covers all the code the session times (only then is a benchmark skipped as identical).' })),
}, 'The session opened.');

export const ChecksumSchema = Type.Object({ sum: ProtocolNumber(), absSum: ProtocolFigure('Sum of |x|.') }, {
  description: 'Sum and sum of |x| over the whole output on the shared inputs of the seed: two implementations given the same seed must agree.',
});

export const ProtocolCorrectnessSchema = Type.Object({
  passed: Bool(),
  maxAbsError: ProtocolFigure('Largest |out - ref|.'),
  relError: ProtocolFigure('||out - ref|| / ||ref||.'),
  tolerance: ProtocolFigure('The relative error bound the check used.'),
  reference: Str({ description: 'What the output was compared with (`python-neumaier`, `torch-fp64`, ...).' }),
  detail: Type.Optional(Nullable(Str({ description: 'Why it failed, in words.' }))),
  checksum: Type.Optional(Nullable(ChecksumSchema)),
}, { description: 'The check; a figure that is not finite fails it, whatever `passed` says.' });

export const CheckReplySchema = reply('check', { correctness: ProtocolCorrectnessSchema }, "The session's output against the reference.");

export const SampleReplySchema = reply('sample', {
  samplesMs: PositiveArray({ description: 'One time per sample, milliseconds per call, exactly as many as asked.' }),
  clockMHz: Type.Optional(Nullable(PositiveArray({ description: 'SM clock read after each sample, MHz, one per sample; null where unknown (anything else is read as unknown).' }))),
}, 'The times taken.');

export const CloseReplySchema = reply('close', {}, 'The session closed.');

export const FailureReplySchema = Type.Object({
  ok: Type.Literal(false),
  kind: Type.Optional(OneOf(['unsupported', 'kernel-failed'] as const, {
    description: '`unsupported`: the problem refuses this shape (a table shows the reason); `kernel-failed` (or absent): the request failed.',
  })),
  error: Type.Optional(Str({ description: 'Why, in one line.' })),
}, { title: 'reply: failure', description: 'Any request may fail; the process keeps serving.' });

/** What every reply is at least: an object with a boolean `ok`. */
export const ReplyEnvelopeSchema = Type.Object({ ok: Bool() });

export const protocolRequests = {
  hello: HelloRequestSchema, variants: VariantsRequestSchema, open: OpenRequestSchema, check: CheckRequestSchema, sample: SampleRequestSchema, close: CloseRequestSchema,
} as const;
export const protocolReplies = {
  hello: HelloReplySchema, variants: VariantsReplySchema, open: OpenReplySchema, check: CheckReplySchema, sample: SampleReplySchema, close: CloseReplySchema,
} as const satisfies Record<keyof typeof protocolRequests, TSchema>;
export type ProtocolOp = keyof typeof protocolRequests;

export type ProtocolRequest = Static<(typeof protocolRequests)[ProtocolOp]>;
export type HelloReply = Static<typeof HelloReplySchema>;
export type OpenReply = Static<typeof OpenReplySchema>;
export type ProtocolCorrectness = Static<typeof ProtocolCorrectnessSchema>;
export type FailureReply = Static<typeof FailureReplySchema>;

/** Every message of the protocol, each way: what schema/ratchet-protocol.schema.json holds. */
export const ProtocolMessageSchema = Type.Union([...Object.values(protocolRequests), ...Object.values(protocolReplies), FailureReplySchema], {
  $id: schemaId('ratchet-protocol.schema.json'),
  title: 'the process protocol (a line each way between Ratchet and a problem process)',
  description:
    "One JSON object per line: Ratchet's requests (`op`) on the process's stdin, one reply each, in order, on its stdout (`ok`). A " +
    'problem server in any language answers these (docs/problem-contract.md); fields a side does not know are ignored.',
});
