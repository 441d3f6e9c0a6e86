// The Python helper's real messages held to the protocol's schemas (@ratchet/types,
// schema/ratchet-protocol.schema.json): a problem server written from the schema alone answers as
// ratchet_problem does. Every request Ratchet sends and every reply of the example's server is
// checked against its message's schema, and each field the server sends is one the schema names.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FailureReplySchema, checkSchema, protocolReplies, protocolRequests, type ProtocolOp } from '@ratchet/types';
import { processProtocolVersion, pythonHelperDir } from './process-source.js';

const example = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/python-cpu');

/** Runs the example's server, sends `requests` one at a time and returns each reply as parsed. */
async function exchange(requests: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const child = spawn('python3', ['prefix_sum.py'], { cwd: example, env: { ...process.env, PYTHONPATH: pythonHelperDir }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const replies: Record<string, unknown>[] = [];
  try {
    for (const request of requests) {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      const line = await lines.next();
      replies.push(JSON.parse(String(line.value)) as Record<string, unknown>);
    }
  } finally {
    child.stdin.end();
    child.kill();
  }
  return replies;
}

type Schema = Parameters<typeof checkSchema>[0];

const where = (what: string) => ({ file: what, path: '', code: 'ERR_RATCHET_PROCESS' as const });

/** The keys of `value` the schema (an object's) does not name. */
function unnamedKeys(schema: Schema, value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => !(key in (schema.properties as Record<string, unknown>)));
}

describe('the Python helper speaks the protocol as its schema defines it', { timeout: 120_000 }, () => {
  it('hello, variants, open, check, sample, close and a failure: each request and reply matches its schema, with no field the schema does not name', async () => {
    const benchmark = { kernel: 'prefix_sum', n: 256 };
    const requests: [ProtocolOp | 'failure', Record<string, unknown>][] = [
      ['hello', { op: 'hello', protocol: processProtocolVersion }],
      ['variants', { op: 'variants', benchmark }],
      ['open', { op: 'open', benchmark, variant: 'loop', seed: 7 }],
      ['check', { op: 'check', session: 1 }],
      ['sample', { op: 'sample', session: 1, warmup: 1, samples: 5, l2Flush: false, launchesPerSample: 2 }],
      ['close', { op: 'close', session: 1 }],
      ['failure', { op: 'open', benchmark: { kernel: 'nope' }, seed: 1 }],
    ];
    const replies = await exchange(requests.map(([, request]) => request));
    requests.forEach(([op, request], index) => {
      const requestSchema = protocolRequests[op === 'failure' ? 'open' : op];
      expect(() => checkSchema(requestSchema, request, where(`request ${index}`))).not.toThrow();
      const replySchema = op === 'failure' ? FailureReplySchema : protocolReplies[op];
      const reply = replies[index]!;
      expect(() => checkSchema(replySchema, reply, where(`reply to ${op}`))).not.toThrow();
      expect(unnamedKeys(replySchema, reply), `reply to ${op}`).toEqual([]);
    });
    // What the schemas let through is what the server said (not an empty object passing an open schema).
    expect(replies[0]).toMatchObject({ ok: true, protocol: processProtocolVersion, problems: [{ name: 'prefix_sum', variants: ['accumulate', 'loop'] }] });
    expect(replies[2]).toMatchObject({ ok: true, session: 1, variant: 'loop', work: { flops: 256, bytes: 4096 } });
    expect(unnamedKeys(protocolReplies.open.properties.work, replies[2]!.work as Record<string, unknown>)).toEqual([]);
    expect(unnamedKeys(protocolReplies.check.properties.correctness, replies[3]!.correctness as Record<string, unknown>)).toEqual([]);
    expect((replies[4]!.samplesMs as number[]).length).toBe(5);
    expect(replies[6]).toMatchObject({ ok: false, kind: 'kernel-failed', error: "this process declares no problem named 'nope'" });
  });

  it('a reply that breaks its schema is refused with the field named', () => {
    expect(() => checkSchema(protocolReplies.sample, { ok: true, samplesMs: [1, 0] }, where('reply to sample'))).toThrow('reply to sample: samplesMs[1]: expected a positive number but received 0 (number)');
    expect(() => checkSchema(protocolReplies.open, { ok: true, session: 1, variant: 'v', work: { flops: -1, bytes: 0 } }, where('reply to open'))).toThrow(
      'reply to open: work.flops: expected a non-negative number but received -1 (number)',
    );
  });
});
