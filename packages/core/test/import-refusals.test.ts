// What --from refuses, each with one message naming the file (and the benchmark at fault):
// malformed, truncated, unit-less, duplicate names, the wrong format. Each case is a real fixture
// with one thing broken.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, cpSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportFormat } from '@ratchet/types';
import { describe, expect, it } from 'vitest';
import { readImport } from '../src/import/read-import.js';

const fixtures = fileURLToPath(new URL('./fixtures/harnesses', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ratchet-import-'));
const original = (...parts: string[]) => readFileSync(join(fixtures, ...parts), 'utf8');

/** A fixture's JSON with one change, written to a scratch file. */
function edited(name: string, source: string[], change: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(original(...source));
  change(doc);
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

function refusal(format: ImportFormat, path: string, options = {}): { code: string; message: string } {
  try {
    readImport(format, [path], options);
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error(`${path} was read as ${format}`);
}

describe('--from refuses what it cannot read, naming the file and the benchmark', () => {
  it('a truncated file: not valid JSON, with where it ends', () => {
    const path = join(scratch, 'truncated.json');
    writeFileSync(path, original('google-benchmark', 'base.json').slice(0, 5000));
    expect(refusal('google-benchmark', path)).toEqual({ code: 'ERR_RATCHET_INVALID_RESULTS', message: expect.stringMatching(new RegExp(`^${path}: not valid JSON \\(.+ at line \\d+, column \\d+\\)$`)) });
  });

  it('a time with no unit (Google Benchmark\'s time_unit missing)', () => {
    const path = edited('unitless.json', ['google-benchmark', 'base.json'], (doc) => delete doc.benchmarks[40].time_unit);
    expect(refusal('google-benchmark', path).message).toBe(`${path}: benchmark "BM_Sum/65536": no time_unit: expected ns, us, ms or s beside its times (a time without a unit is not read)`);
  });

  it('a unit it does not know, and a time that is not positive', () => {
    const unknown = edited('minutes.json', ['google-benchmark', 'base.json'], (doc) => (doc.benchmarks[0].time_unit = 'min'));
    expect(refusal('google-benchmark', unknown).message).toBe(`${unknown}: benchmark "BM_Sum/4096": time_unit: expected ns, us, ms or s but received "min"`);
    const negative = edited('negative.json', ['pytest-benchmark', 'saved-base.json'], (doc) => (doc.benchmarks[1].stats.median = -1));
    expect(refusal('pytest-benchmark', negative).message).toBe(`${negative}: benchmark "test_kernels.py::test_checksum[10000]": stats.median: expected a positive time but received -1`);
  });

  it('a Triton CSV with no --unit: the CSV carries none', () => {
    const csv = join(fixtures, 'triton', 'synthetic', 'base', 'softmax-performance.csv');
    expect(refusal('triton', csv, { device: 'H100' }).message).toMatch(new RegExp(`^${csv}: a perf_report CSV holds no unit \\(the plot's ylabel is not written to it\\): say what the benchmarked function returns with --unit`));
    expect(refusal('triton', csv, { unit: 'us' }).message).toMatch(new RegExp(`^${csv}: the file names no device: say which it was measured on with --device`));
  });

  it('duplicate names: one name twice, and two names that become one id', () => {
    const twice = edited('twice.json', ['pytest-benchmark', 'saved-base.json'], (doc) => doc.benchmarks.push(doc.benchmarks[0]));
    expect(refusal('pytest-benchmark', twice)).toEqual({ code: 'ERR_RATCHET_DUPLICATE_BENCHMARK', message: `${twice}: benchmark "test_kernels.py::test_checksum[1000]": appears more than once: "test_kernels.py::test_checksum[1000]" twice` });
    const clash = edited('clash.json', ['google-benchmark', 'base-single.json'], (doc) => {
      doc.benchmarks.push({ ...doc.benchmarks[2], name: 'BM_Copy_int/bytes_4194304', run_name: 'BM_Copy_int/bytes_4194304' });
    });
    expect(refusal('google-benchmark', clash).message).toBe(`${clash}: benchmark "BM_Copy_int/bytes_4194304": appears more than once: "BM_Copy<int>/bytes:4194304" and "BM_Copy_int/bytes_4194304", which both become BM_Copy_int/bytes_4194304`);
    const repetition = edited('repetition.json', ['google-benchmark', 'base.json'], (doc) => doc.benchmarks.splice(1, 0, doc.benchmarks[0]));
    expect(refusal('google-benchmark', repetition).message).toBe(`${repetition}: benchmark "BM_Sum/4096": repetition 0 appears twice`);
  });

  it('the wrong format: says what the file looks like and which --from reads it', () => {
    const gb = join(fixtures, 'google-benchmark', 'base.json');
    expect(refusal('nvbench', gb).message).toBe(`${gb}: not nvbench output: it looks like google-benchmark output: use --from google-benchmark`);
    const pytest = join(fixtures, 'pytest-benchmark', 'base.json');
    expect(refusal('google-benchmark', pytest).message).toBe(`${pytest}: not google-benchmark output: it looks like pytest-benchmark output: use --from pytest-benchmark`);
    expect(refusal('triton', gb, { unit: 'us', device: 'x' }).message).toBe(`${gb}: not a perf_report CSV: it holds JSON (name its format with --from)`);
    const other = edited('other.json', ['google-benchmark', 'base.json'], (doc) => delete doc.context);
    expect(refusal('google-benchmark', other).message).toBe(`${other}: not Google Benchmark JSON: expected an object with context and benchmarks (--benchmark_out=<file> --benchmark_out_format=json)`);
  });

  it('a truncated --jsonbin sidecar: the samples its summary counts are not all there', () => {
    const dir = join(scratch, 'jsonbin');
    mkdirSync(dir);
    cpSync(join(fixtures, 'nvbench', 'synthetic', 'base.json'), join(dir, 'base.json'));
    cpSync(join(fixtures, 'nvbench', 'synthetic', 'base.json-bin'), join(dir, 'base.json-bin'), { recursive: true });
    truncateSync(join(dir, 'base.json-bin', '1.bin'), 6000);
    expect(refusal('nvbench', join(dir, 'base.json')).message).toBe(`${join(dir, 'base.json')}: benchmark "copy_sweep Device=0 Elements=2^28": sample times base.json-bin/1.bin: expected 2000 little-endian float32 values (8000 bytes) but it holds 6000 bytes: truncated?`);
  });

  it('a Triton CSV row cut short, and a file with no benchmarks at all', () => {
    const csv = join(scratch, 'cut.csv');
    writeFileSync(csv, original('triton', 'synthetic', 'base', 'softmax-performance.csv').replace(/,44\.0\n$/, '\n'));
    expect(refusal('triton', csv, { unit: 'us', device: 'x' }).message).toBe(`${csv}: line 5: 2 fields where the header has 3: truncated?`);
    const empty = edited('empty.json', ['pytest-benchmark', 'saved-base.json'], (doc) => (doc.benchmarks = []));
    expect(refusal('pytest-benchmark', empty).message).toBe(`${empty}: no benchmarks in it: a run of nothing would pass having measured nothing`);
  });

  it('a structure where the format has another (summaries an object), and parameters nested too deep to show, are refused, never a crash', () => {
    const broken = edited('broken.json', ['nvbench', 'synthetic', 'base-summary.json'], (doc) => (doc.benchmarks[0].states[0].summaries = { tag: 'x' }));
    expect(refusal('nvbench', broken)).toEqual({ code: 'ERR_RATCHET_INVALID_RESULTS', message: expect.stringMatching(new RegExp(`^${broken}: not well-formed nvbench output \\(.+\\)$`)) });
    const path = join(scratch, 'deep.json');
    const deepObject = `${'{"n":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const deepArray = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    writeFileSync(path, `{"machine_info":{"cpu":{}},"version":"3.2.2","benchmarks":[{"name":"t","fullname":"t","params":${deepObject},"stats":{"median":1,"rounds":${deepArray}}}]}`);
    expect(refusal('pytest-benchmark', path).message).toBe(`${path}: benchmark "t": stats.rounds: expected a count of rounds but received a value nested too deep to show`);
  });

  it('a file that is not there', () => {
    expect(refusal('nvbench', join(scratch, 'missing.json'))).toEqual({ code: 'ERR_RATCHET_FILE_NOT_FOUND', message: `${join(scratch, 'missing.json')}: no such file (--from nvbench)` });
  });
});
