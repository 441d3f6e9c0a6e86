#!/usr/bin/env node
// A peer written for the tests: a process source speaking the line protocol
// (python/ratchet_problem) that declares `flash_fwd` on the CPU with the variants `fast` and
// `slow`, and times a real computation per sample. How it (mis)behaves is argv[2]: ok,
// unavailable, unsupported (refuses S=32), invalid (fails every check), crash (dies at its first
// batch of samples of S=64), hang (never answers a sample), garbage (answers open with a line that is not
// JSON), bad-checksum. argv[3], when given, is a file where every request is appended as
// `<argv[4]> <op>` (and the seed of an open), so a test can see the order in which all the sides were asked.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [mode = 'ok', log, label = mode] = process.argv.slice(2);
const problem = {
  name: 'flash_fwd', summary: 'a fake attention', backends: ['cpu'], variants: ['fast', 'slow'],
  params: [
    { name: 'dtype', type: 'enum', values: ['fp16', 'bf16'] },
    ...['B', 'H', 'S', 'D'].map((name) => ({ name, type: 'int', min: 1, max: 1 << 20 })),
    { name: 'causal', type: 'bool' },
  ],
};
const sessions = new Map();

function work(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) acc += Math.sqrt(i);
  return acc;
}

function sample(session, count) {
  return Array.from({ length: count }, () => {
    const started = performance.now();
    work(session.benchmark.S * session.benchmark.D * (session.variant === 'slow' ? 20 : 10));
    return Math.max(performance.now() - started, 1e-6);
  });
}

function answer(request) {
  switch (request.op) {
    case 'hello':
      return mode === 'unavailable' ? { protocol: 1, problems: [problem], unavailable: 'no torch here' } : { protocol: 1, problems: [problem], software: `node ${process.version}` };
    case 'open': {
      if (mode === 'garbage') return 'this is not json {';
      if (mode === 'unsupported' && request.benchmark.S === 32) return { ok: false, kind: 'unsupported', error: 'head dim 16 not supported' };
      const session = sessions.size + 1;
      sessions.set(session, { benchmark: request.benchmark, variant: request.variant, seed: request.seed });
      const { B, H, S, D } = request.benchmark;
      return { session, variant: request.variant, work: { flops: 4 * B * H * S * S * D, bytes: 8 * B * H * S * D }, identity: null };
    }
    case 'check': {
      const passed = mode !== 'invalid';
      const checksum = mode === 'bad-checksum' ? { sum: 'many' } : { sum: 1, absSum: 10 };
      return { correctness: { passed, maxAbsError: passed ? 0 : 0.5, relError: passed ? 0 : 0.5, tolerance: 1e-3, reference: 'fake', ...(passed ? {} : { detail: 'relative error 5e-1' }), checksum } };
    }
    case 'sample':
      if (mode === 'crash' && sessions.get(request.session).benchmark.S === 64) {
        process.stderr.write('Traceback (most recent call last):\nRuntimeError: CUDA error: an illegal memory access was encountered\n');
        process.exit(7);
      }
      if (mode === 'hang') return null;
      return { samplesMs: sample(sessions.get(request.session), request.samples), clockMHz: null };
    case 'close':
      sessions.delete(request.session);
      return {};
    default:
      return { ok: false, kind: 'kernel-failed', error: `unknown request ${request.op}` };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  if (log) appendFileSync(log, `${label} ${request.op}${request.op === 'open' ? ` seed=${request.seed}` : ''}\n`);
  const reply = answer(request);
  if (reply === null) continue;
  process.stdout.write(typeof reply === 'string' ? `${reply}\n` : `${JSON.stringify({ ok: true, ...reply })}\n`);
}
