import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from './lock.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-lock-'));
const deadPid = 2 ** 22 + 1;

describe('acquireLock', () => {
  it('creates the lock with our pid, refuses a second taker naming us, and is gone after release', async () => {
    const path = join(scratch(), 'baseline.json.lock');
    const lock = await acquireLock(path, 'ratchet run');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), command: 'ratchet run' });
    await expect(acquireLock(path, 'ratchet accept')).rejects.toMatchObject({
      code: 'ERR_RATCHET_LOCKED',
      message: expect.stringMatching(new RegExp(`baseline\\.json\\.lock: held by pid ${process.pid} \\(ratchet run, since `)),
    });
    lock.release();
    expect(existsSync(path)).toBe(false);
    (await acquireLock(path, 'ratchet run')).release();
  });

  it('takes over a lock whose holder is dead', async () => {
    const path = join(scratch(), 'baseline.json.lock');
    writeFileSync(path, JSON.stringify({ pid: deadPid, host: hostname(), command: 'ratchet run', since: 'then' }));
    const lock = await acquireLock(path, 'ratchet run');
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('never takes over a lock from another host, nor one it cannot read', async () => {
    const path = join(scratch(), 'baseline.json.lock');
    writeFileSync(path, JSON.stringify({ pid: deadPid, host: 'elsewhere', command: 'ratchet run', since: 'then' }));
    await expect(acquireLock(path, 'ratchet run')).rejects.toThrow(`held by pid ${deadPid} on elsewhere`);
    writeFileSync(path, '{"pid": ');
    await expect(acquireLock(path, 'ratchet run')).rejects.toThrow('held by a process that left no readable record');
  });

  it('creates the directory it needs and removes it on release when nothing else went in', async () => {
    const dir = scratch();
    const lock = await acquireLock(join(dir, '.ratchet/baseline.json.lock'), 'ratchet run');
    expect(existsSync(join(dir, '.ratchet'))).toBe(true);
    lock.release();
    expect(existsSync(join(dir, '.ratchet'))).toBe(false);
    mkdirSync(join(dir, 'kept'));
    const second = await acquireLock(join(dir, 'kept/baseline.json.lock'), 'ratchet run');
    second.release();
    expect(existsSync(join(dir, 'kept'))).toBe(true);
  });
});
