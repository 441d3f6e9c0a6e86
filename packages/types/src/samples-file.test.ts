import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validateSamplesFile } from './samples-file.js';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../schema/ratchet-samples.schema.json', import.meta.url)), 'utf8'));
const schemaAccepts = new Ajv({ strict: true, allErrors: true }).compile(schema);
const ours = (doc: unknown) => {
  try {
    validateSamplesFile(doc, 'samples.json');
    return true;
  } catch {
    return false;
  }
};

const valid = {
  $schema: './ratchet-samples.schema.json', format: 'ratchet-samples', version: 1,
  harness: { name: 'my-bench', version: '1.2' }, device: { name: 'NVIDIA H100 80GB HBM3', backend: 'cuda' }, unit: 'us',
  createdAt: '2026-12-06T00:00:00Z',
  benchmarks: [
    { name: 'softmax', params: { rows: 4096, cols: 1024, dtype: 'fp16', causal: false }, samples: [12.1, 12.3, 12.2] },
    { name: 'gemm', mean: 1.2, std: 0.1, n: 100 },
    { name: 'layernorm', median: 2, p25: 1.9, p75: 2.2, n: 50 },
    { name: 'scan', value: 3.2, statistic: 'min' },
  ],
};
const edit = (change: (doc: typeof valid & Record<string, unknown>) => void) => {
  const doc = structuredClone(valid) as typeof valid & Record<string, unknown>;
  change(doc);
  return doc;
};
const invalid: Record<string, unknown> = {
  'no unit': edit((d) => delete (d as Partial<typeof valid>).unit),
  'an unknown unit': edit((d) => ((d as { unit: string }).unit = 'cycles')),
  'another format': edit((d) => ((d as { format: string }).format = 'nvbench')),
  'a newer version': edit((d) => ((d as { version: number }).version = 2)),
  'an unknown key': edit((d) => (d.extra = 1)),
  'no samples': edit((d) => ((d.benchmarks[0] as { samples: number[] }).samples = [])),
  'a negative sample': edit((d) => ((d.benchmarks[0] as { samples: number[] }).samples = [1, -1])),
  'a mean without n': edit((d) => delete (d.benchmarks[1] as { n?: number }).n),
  'a name with a slash': edit((d) => (d.benchmarks[0]!.name = 'a/b')),
  'a parameter name with an underscore': edit((d) => ((d.benchmarks[0] as { params: Record<string, unknown> }).params = { seq_len: 1 })),
  'a fractional parameter': edit((d) => ((d.benchmarks[0] as { params: Record<string, unknown> }).params = { p: 0.5 })),
  'samples and a value at once': edit((d) => ((d.benchmarks[0] as Record<string, unknown>).value = 1)),
  'no device name': edit((d) => ((d as { device: object }).device = {})),
};

describe('the samples format: one definition, the validator and the shipped JSON Schema agreeing', () => {
  it('both accept a file with samples, mean and std, median and quartiles, and one value', () => {
    expect(schemaAccepts(valid)).toBe(true);
    expect(ours(valid)).toBe(true);
  });

  it.each(Object.entries(invalid))('both refuse %s', (_what, doc) => {
    expect(schemaAccepts(doc)).toBe(false);
    expect(ours(doc)).toBe(false);
  });

  it('says which file and field is wrong', () => {
    expect(() => validateSamplesFile(invalid['an unknown unit'], 'times.json')).toThrow('times.json: unit: expected one of "ns", "us", "ms", "s" but received "cycles" (string)');
    expect(() => validateSamplesFile(invalid['no samples'], 'times.json')).toThrow('times.json: benchmarks[0].samples: expected at least one sample');
  });
});
