import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateTuning } from '@ratchet/types';
import { appendLine, createOnce } from './append.js';
import { readJson, readJsonOrNone, readText } from './read.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-read-'));
const tuningFault = { code: 'ERR_RATCHET_INVALID_TUNING' } as const;

describe('reading a file of one of the formats', () => {
  it('reads a missing file as none, and refuses it where it must be there', async () => {
    const path = join(scratch(), 'tuning.json');
    expect(await readJsonOrNone(path, validateTuning, tuningFault)).toBeNull();
    await expect(readJson(path, validateTuning, tuningFault)).rejects.toMatchObject({ code: 'ERR_RATCHET_FILE_NOT_FOUND', message: `${path}: cannot read (no such file)` });
  });
  it('names the file and the field a value fails at, with the format\'s code', async () => {
    const path = join(scratch(), 'tuning.json');
    writeFileSync(path, JSON.stringify({ schemaVersion: 2, devices: { d: { deviceName: 7, benchmarks: {} } } }));
    await expect(readJsonOrNone(path, validateTuning, tuningFault)).rejects.toMatchObject({
      code: 'ERR_RATCHET_INVALID_TUNING', message: `${path}: devices.d.deviceName: expected a string but received 7 (number)`,
    });
  });
  it('names the line and column of text that is not JSON', async () => {
    const path = join(scratch(), 'tuning.json');
    writeFileSync(path, '{"schemaVersion": 2,');
    await expect(readJsonOrNone(path, validateTuning, tuningFault)).rejects.toMatchObject({ code: 'ERR_RATCHET_INVALID_TUNING', message: expect.stringMatching(new RegExp(`^${path}: not valid JSON`)) });
  });
  it('says what the file is and why it could not be read: a directory is not a file', async () => {
    const path = join(scratch(), 'config');
    mkdirSync(path);
    await expect(readText(path, { code: 'ERR_RATCHET_INVALID_CONFIG', what: 'the config file' })).rejects.toMatchObject({
      code: 'ERR_RATCHET_INVALID_CONFIG', message: `${path}: cannot read the config file (EISDIR: illegal operation on a directory, read)`,
    });
  });
});

describe('appendLine', () => {
  it('creates the file and its directories, then adds one line per call', async () => {
    const path = join(scratch(), 'a/b/log.jsonl');
    await appendLine(path, '{"n":1}');
    await appendLine(path, '{"n":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
  });
  it('ends a line an earlier crash cut short before adding, so that line stays the only bad one', async () => {
    const path = join(scratch(), 'log.jsonl');
    writeFileSync(path, '{"n":1}\n{"n":');
    await appendLine(path, '{"n":3}');
    expect(readFileSync(path, 'utf8')).toBe('{"n":1}\n{"n":\n{"n":3}\n');
  });
});

describe('createOnce', () => {
  it('creates a file that is not there, and leaves one that is as it was', async () => {
    const path = join(scratch(), 'dir/manifest.json');
    expect(await createOnce(path, 'first')).toBe(true);
    expect(await createOnce(path, 'second')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('first');
  });
});
