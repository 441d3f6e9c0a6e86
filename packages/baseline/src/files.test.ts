import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lognormal, measurement, run, seeded } from '../test/fixtures.js';
import { writeFileAtomic } from './atomic-write.js';
import { readBaseline, writeBaseline } from './baseline-file.js';
import { compare } from './compare.js';
import { appendHistory, readHistory } from './history-file.js';
import { ratchet } from './ratchet.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-baseline-'));
const result = run([measurement(512, lognormal(seeded(3), 20, 1, 0.02))]);
const step = ratchet(null, result, compare(result, null, { regressionPct: 3, improvementPct: 5, alpha: 0.05 }), { sha: null, time: 't' });

describe('baseline file', () => {
  it('round-trips through disk with stable formatting', async () => {
    const path = join(scratch(), '.ratchet/baseline.json');
    await writeBaseline(path, step.baseline);
    expect(await readBaseline(path)).toEqual(step.baseline);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
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

describe('history file', () => {
  it('refuses to append to a history whose last line was cut, naming file:line, and leaves it as it was', async () => {
    const path = join(scratch(), 'history.jsonl');
    await appendHistory(path, step.events);
    const cut = `${readFileSync(path, 'utf8')}{"time":"t","devi`;
    writeFileSync(path, cut);
    await expect(appendHistory(path, step.events)).rejects.toMatchObject({ code: 'ERR_RATCHET_INVALID_BASELINE', message: expect.stringContaining(`${path}:2: not valid JSON`) });
    expect(readFileSync(path, 'utf8')).toBe(cut);
  });
  it('starts the appended events on a new line when the last line lacks its newline', async () => {
    const path = join(scratch(), 'history.jsonl');
    writeFileSync(path, JSON.stringify(step.events[0]));
    await appendHistory(path, step.events);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
    expect(await readHistory(path)).toHaveLength(2);
  });

  it('appends, never rewrites, and reads back in order', async () => {
    const path = join(scratch(), 'history.jsonl');
    await appendHistory(path, step.events);
    const before = readFileSync(path, 'utf8');
    await appendHistory(path, [{ ...step.events[0]!, event: 'accept', reason: 'why' }]);
    expect(readFileSync(path, 'utf8').startsWith(before)).toBe(true);
    expect((await readHistory(path)).map((e) => e.event)).toEqual(['new', 'accept']);
  });
});
