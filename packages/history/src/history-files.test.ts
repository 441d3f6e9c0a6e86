import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runResult } from '../test/fixtures.js';
import { appendRunRecord } from './append.js';
import { readRunHistory } from './read.js';
import { historyRecordFor } from './record.js';

const project = 'github.com/acme/kernels';
const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-history-'));
const record = (time: string, p: string | null = project) => historyRecordFor(runResult(time), null, { project: p });

describe('appendRunRecord and readRunHistory', () => {
  it('appends one line per run to its device and month, and reads them back oldest first', async () => {
    const dir = scratch();
    const shard = await appendRunRecord(dir, record('2026-11-30T10:00:00.000Z'));
    await appendRunRecord(dir, record('2026-12-01T09:00:00.000Z'));
    await appendRunRecord(dir, record('2026-11-29T08:00:00.000Z'));
    expect(shard).toBe(join(dir, 'NVIDIA-H100-80GB-HBM3_sm90', '2026-11.jsonl'));
    expect(readFileSync(shard, 'utf8').split('\n')).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8'))).toEqual({ format: 'ratchet-run-history', schemaVersion: 1, project });
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toMatch(/^\*\.jsonl merge=union$/m);
    const history = await readRunHistory(dir, { project });
    expect(history.skipped).toEqual([]);
    expect(history.project).toBe(project);
    expect(history.records.map((r) => r.time)).toEqual(['2026-11-29T08:00:00.000Z', '2026-11-30T10:00:00.000Z', '2026-12-01T09:00:00.000Z']);
  });

  it('reports a corrupt, a truncated, an out-of-range and a future-version line with file and line, skips them and leaves the file as it was', async () => {
    const dir = scratch();
    const shard = await appendRunRecord(dir, record('2026-11-01T00:00:00.000Z'));
    const good = readFileSync(shard, 'utf8').trimEnd();
    const badN = good.replace('"n":200', '"n":-1');
    const future = good.replace('"schemaVersion":1', '"schemaVersion":2');
    appendFileSync(shard, `not json at all\n${badN}\n${future}\n${good.slice(0, 120)}`);
    const before = readFileSync(shard, 'utf8');
    const history = await readRunHistory(dir, { project });
    expect(history.records).toHaveLength(1);
    expect(history.skipped).toEqual([
      { file: shard, line: 2, reason: 'not valid JSON' },
      { file: shard, line: 3, reason: 'benchmarks[0].n: expected an integer >= 0 but received -1 (number)' },
      { file: shard, line: 4, reason: 'schemaVersion 2 is not supported by this Ratchet (expected 1): written by a newer Ratchet?' },
      { file: shard, line: 5, reason: 'not valid JSON: a truncated or corrupt line' },
    ]);
    expect(readFileSync(shard, 'utf8')).toBe(before);
  });

  it('appends after a truncated last line on a line of its own, so only the broken line is lost', async () => {
    const dir = scratch();
    const shard = await appendRunRecord(dir, record('2026-11-01T00:00:00.000Z'));
    const good = readFileSync(shard, 'utf8');
    appendFileSync(shard, good.slice(0, 50));
    await appendRunRecord(dir, record('2026-11-02T00:00:00.000Z'));
    const history = await readRunHistory(dir);
    expect(history.records.map((r) => r.time)).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z']);
    expect(history.skipped).toEqual([{ file: shard, line: 2, reason: 'not valid JSON: a truncated or corrupt line' }]);
  });

  it('reports the second copy of a record that a merge kept from both sides', async () => {
    const dir = scratch();
    const shard = await appendRunRecord(dir, record('2026-11-01T00:00:00.000Z'));
    appendFileSync(shard, readFileSync(shard, 'utf8'));
    const history = await readRunHistory(dir);
    expect(history.records).toHaveLength(1);
    expect(history.skipped).toEqual([{ file: shard, line: 2, reason: `a second copy of the record at ${shard}:1` }]);
  });

  it('refuses to append to or read another project’s history, naming its manifest', async () => {
    const dir = scratch();
    await appendRunRecord(dir, record('2026-11-01T00:00:00.000Z'));
    const other = "the run history of project 'github.com/acme/kernels', not of 'github.com/someone/else'";
    await expect(appendRunRecord(dir, record('2026-11-02T00:00:00.000Z', 'github.com/someone/else'))).rejects.toThrow(`${join(dir, 'history.json')}: ${other} (this checkout's origin): refusing to append to it`);
    await expect(readRunHistory(dir, { project: 'github.com/someone/else' })).rejects.toMatchObject({ code: 'ERR_RATCHET_INVALID_HISTORY' });
  });

  it('refuses the whole history when one line is another project’s record', async () => {
    const dir = scratch();
    const shard = await appendRunRecord(dir, record('2026-11-01T00:00:00.000Z'));
    appendFileSync(shard, `${JSON.stringify(record('2026-11-02T00:00:00.000Z', 'github.com/someone/else'))}\n`);
    await expect(readRunHistory(dir)).rejects.toThrow(`${shard}:2: a record of project 'github.com/someone/else' in the run history of '${project}': refusing the whole history`);
  });

  it('refuses a manifest of an unknown schema version or of something else', async () => {
    const dir = scratch();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'history.json'), JSON.stringify({ format: 'ratchet-run-history', schemaVersion: 9, project }));
    await expect(readRunHistory(dir)).rejects.toThrow(/history\.json: schemaVersion 9 is not supported by this Ratchet \(expected 1\): refusing the whole history/);
    writeFileSync(join(dir, 'history.json'), '{"name": "some package"}');
    await expect(appendRunRecord(dir, record('2026-11-01T00:00:00.000Z'))).rejects.toThrow(/not a run history manifest/);
  });

  it('reads a missing directory as an error, or as empty when asked', async () => {
    const dir = join(scratch(), 'nothing-here');
    await expect(readRunHistory(dir)).rejects.toMatchObject({ code: 'ERR_RATCHET_FILE_NOT_FOUND' });
    expect((await readRunHistory(dir, { missingOk: true })).records).toEqual([]);
  });

  it('refuses to append a record that would not read back', async () => {
    const bad = record('2026-11-01T00:00:00.000Z');
    bad.benchmarks[0]!.n = 0;
    await expect(appendRunRecord(scratch(), bad)).rejects.toThrow(/needs a median, its CI and n >= 1/);
  });
});
