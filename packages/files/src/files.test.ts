import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { baselineSchemaVersion, type MoveEvent } from '@ratchet/types';
import { writeFileAtomic } from './atomic-write.js';
import { baselineJson, readBaseline, writeBaseline } from './baseline-file.js';
import { movesWithEvents, parseMoves, readMoves } from './moves-log.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-files-'));
// The repository's own baseline: an older schema version, every kind of entry it has held.
const committed = fileURLToPath(new URL('../../../.ratchet/baseline.json', import.meta.url));
const move: MoveEvent = {
  time: '2026-11-23T22:26:21.805Z', deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', benchmarkId: 'flash_fwd/bf16/B16_H16_S1024_D64',
  event: 'new', fromMedianMs: null, toMedianMs: 0.29, sha: null,
};

describe('baseline file', () => {
  it('round-trips through disk with stable formatting', async () => {
    const baseline = (await readBaseline(committed))!;
    const path = join(scratch(), '.ratchet/baseline.json');
    await writeBaseline(path, baseline);
    expect(await readBaseline(path)).toEqual(baseline);
    expect(readFileSync(path, 'utf8')).toBe(baselineJson(baseline));
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
  });
  it('reads an older schema version as the current one, and writes it back losing nothing but the version number', async () => {
    const baseline = (await readBaseline(committed))!;
    expect(baseline.schemaVersion).toBe(baselineSchemaVersion);
    const original = JSON.parse(await readFile(committed, 'utf8')) as { schemaVersion: number };
    expect(JSON.parse(baselineJson(baseline))).toEqual({ ...original, schemaVersion: baselineSchemaVersion });
  });
  it('reads an absent baseline as null', async () => {
    expect(await readBaseline(join(scratch(), 'none.json'))).toBeNull();
  });
  it('rejects a corrupt file naming it, and leaves it as it was', async () => {
    const path = join(scratch(), 'baseline.json');
    writeFileSync(path, '{"schemaVersion": 1, "devi');
    await expect(readBaseline(path)).rejects.toMatchObject({ code: 'ERR_RATCHET_INVALID_BASELINE', message: expect.stringContaining(path) });
    expect(readFileSync(path, 'utf8')).toBe('{"schemaVersion": 1, "devi');
  });
});

describe('writeFileAtomic', () => {
  it('leaves the old file intact and no temp file behind when the write fails', async () => {
    const dir = scratch();
    const path = join(dir, 'baseline.json');
    writeFileSync(path, 'old contents');
    // The target directory cannot be replaced by a file: rename fails after the temp file is written.
    const blocked = join(dir, 'sub');
    await writeFileAtomic(join(blocked, 'x'), 'make a directory');
    await expect(writeFileAtomic(blocked, 'over a directory')).rejects.toMatchObject({ code: 'ERR_RATCHET_UNWRITABLE_PATH' });
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    expect(readdirSync(dir).sort()).toEqual(['baseline.json', 'sub']);
  });
  it('names the path when a parent is a file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    await expect(writeFileAtomic(join(dir, 'file/out.json'), '{}')).rejects.toThrow(/out\.json: cannot write/);
  });
});

describe('moves log', () => {
  it('refuses to add to a log whose last line was cut, naming file:line', () => {
    const cut = `${JSON.stringify(move)}\n{"time":"t","devi`;
    expect(() => movesWithEvents(cut, [move], 'history.jsonl')).toThrow(expect.objectContaining({ code: 'ERR_RATCHET_INVALID_BASELINE', message: expect.stringContaining('history.jsonl:2: not valid JSON') }));
  });
  it('starts the added moves on a new line when the last line lacks its newline', () => {
    const text = movesWithEvents(JSON.stringify(move), [move], 'history.jsonl');
    expect(text.split('\n')).toHaveLength(3);
    expect(parseMoves(text, 'history.jsonl')).toHaveLength(2);
  });
  it('adds after what is there, never rewriting it, and reads back in order', async () => {
    const path = join(scratch(), 'history.jsonl');
    const before = movesWithEvents('', [move], path);
    writeFileSync(path, movesWithEvents(before, [{ ...move, event: 'accept', reason: 'why' }], path));
    expect(readFileSync(path, 'utf8').startsWith(before)).toBe(true);
    expect((await readMoves(path)).map((e) => e.event)).toEqual(['new', 'accept']);
  });
  it('reads an absent log as no moves', async () => {
    expect(await readMoves(join(scratch(), 'none.jsonl'))).toEqual([]);
  });
});
