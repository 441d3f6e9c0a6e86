// Inputs past what the validators were written for (issue 22, "what a new user hits first"): a
// number JSON writes as null, a time past Node's timers, a byte-order mark, nesting no file has,
// a baseline entry with no samples. Each is one clear refusal naming the file and field.
import { describe, expect, it } from 'vitest';
import type { RatchetError } from './errors.js';
import { parseJsonText, validateBaseline, validateConfigInput } from './validate.js';

const errorOf = (run: () => unknown): RatchetError => {
  try {
    run();
  } catch (error) {
    return error as RatchetError;
  }
  throw new Error('expected an error');
};

const device = {
  backend: 'cpu', name: 'test cpu', deviceKey: 'cpu/x86_64/test', computeCapability: null, multiprocessorCount: 2,
  l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null,
  memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};
const summary = {
  n: 3, mean: 1, median: 1, std: 0.1, cv: 0.1, min: 0.9, max: 1.1, p05: 0.9, p25: 0.95, p75: 1.05, p95: 1.1, p99: 1.1,
  ci95Mean: [0.8, 1.2], ci95Median: [0.9, 1.1],
};
const id = 'flash_fwd/fp16/B1_H2_S64_D64';
const baselineText = (entry: Record<string, unknown>) =>
  JSON.stringify({ schemaVersion: 2, devices: { [device.deviceKey]: { device, benchmarks: { [id]: { summary, samplesMs: [0.9, 1, 1.1], variant: 'v', sha: null, acceptedAt: 't', acceptedAs: 'new', ...entry } } } } });
const field = `devices["cpu/x86_64/test"].benchmarks["${id}"]`;

describe('inputs past what a file holds', () => {
  it('shows an infinite median as Infinity, not as the null JSON would write', () => {
    const text = baselineText({ summary: { ...summary, median: 1 } }).replace('"median":1', '"median":1e400');
    const error = errorOf(() => validateBaseline(parseJsonText(text, 'b.json', 'ERR_RATCHET_INVALID_BASELINE'), 'b.json'));
    expect(error.message).toBe(`b.json: ${field}.summary.median: expected a positive number but received Infinity (number)`);
  });

  it('refuses a baseline entry without samples when it is read, naming the field', () => {
    const error = errorOf(() => validateBaseline(JSON.parse(baselineText({ samplesMs: [] })), 'b.json'));
    expect(error).toMatchObject({ code: 'ERR_RATCHET_INVALID_BASELINE', message: `b.json: ${field}.samplesMs: expected a non-empty array but received [] (array)` });
  });

  it('refuses a process time limit a Node timer cannot hold (3e9 ms fired after 0.3 s), and takes the longest one it can', () => {
    const config = (timeoutMs: number) => ({ processes: [{ command: ['python3', 'k.py'], timeoutMs }] });
    expect(errorOf(() => validateConfigInput(config(3e9), 'ratchet.config.json')).message).toBe(
      'ratchet.config.json: processes[0].timeoutMs: expected a time in milliseconds above 0 and at most 2147483647 (2^31 - 1, about 24.8 days: the longest a Node timer holds) but received 3000000000 (number)',
    );
    expect(validateConfigInput(config(2 ** 31 - 1), 'ratchet.config.json').processes![0]!.timeoutMs).toBe(2147483647);
    expect(errorOf(() => validateConfigInput(config(0), 'c.json')).message).toMatch(/processes\[0\]\.timeoutMs: expected a time in milliseconds above 0/);
  });

  it('reads a file that starts with a UTF-8 byte-order mark, as Node and tsc read JSON', () => {
    expect(parseJsonText('\uFEFF{"plugins": []}', 'c.json', 'ERR_RATCHET_INVALID_CONFIG')).toEqual({ plugins: [] });
  });

  it('names an invisible character inside a file by its code point', () => {
    const error = errorOf(() => parseJsonText('{"plugins":\u200B[]}', 'c.json', 'ERR_RATCHET_INVALID_CONFIG'));
    expect(error.message).toBe("c.json: not valid JSON (Unexpected token 'U+200B')");
  });

  it('refuses a config nested 5,000 levels deep as bad input (it overflowed the stack: exit 4)', () => {
    const deep = `{"suites":{"cpu":${'['.repeat(5000)}1${']'.repeat(5000)}}}`;
    const error = errorOf(() => validateConfigInput(parseJsonText(deep, 'c.json', 'ERR_RATCHET_INVALID_CONFIG'), 'c.json'));
    expect(error).toMatchObject({ code: 'ERR_RATCHET_INVALID_CONFIG', message: 'c.json: nested more than 64 levels deep (no file Ratchet reads nests more than 10)' });
    // Up to the limit it parses, and the validator names the field as ever.
    const shallow = `{"suites":{"cpu":${'['.repeat(60)}1${']'.repeat(60)}}}`;
    expect(errorOf(() => validateConfigInput(parseJsonText(shallow, 'c.json', 'ERR_RATCHET_INVALID_CONFIG'), 'c.json')).message).toMatch(/^c\.json: suites\.cpu\[0\]: /);
  });
});
