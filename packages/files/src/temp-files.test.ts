import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectories, removeDirectories } from './directories.js';
import { processAlive, removeStaleTemps, removeTrackedTemps, tempOwner, tempPathFor, trackTemp } from './temp-files.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-temps-'));
// Above the kernel's largest pid_max (2^22): no process can have it.
const deadPid = 2 ** 22 + 1;

describe('temporaries', () => {
  it('names a temporary after its file, this pid and a random suffix', () => {
    const temp = tempPathFor('/x/.ratchet/baseline.json', 'tmp');
    expect(temp).toMatch(new RegExp(`^/x/\\.ratchet/\\.baseline\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(tempOwner('/x/.ratchet/baseline.json', temp.split('/').pop()!)).toBe(process.pid);
    expect(tempOwner('/x/.ratchet/baseline.json', '.history.jsonl.12.deadbeef.tmp')).toBeNull();
  });

  it('removes only stale temporaries of the files named: their writer is dead; a live writer and other files are left alone', async () => {
    const dir = scratch();
    const names = [`.baseline.json.${deadPid}.deadbeef.tmp`, `.baseline.json.${deadPid}.0badf00d.bak`, `.baseline.json.${process.pid}.12345678.tmp`, `.other.json.${deadPid}.deadbeef.tmp`, 'baseline.json'];
    for (const name of names) writeFileSync(join(dir, name), 'x');
    expect(processAlive(deadPid)).toBe(false);
    const removed = await removeStaleTemps([join(dir, 'baseline.json')]);
    expect(removed.sort()).toEqual([join(dir, names[1]!), join(dir, names[0]!)].sort());
    expect(readdirSync(dir).sort()).toEqual([names[2]!, names[3]!, 'baseline.json'].sort());
  });

  it('removes what this process still tracks, as a signal handler does', () => {
    const dir = scratch();
    const temp = tempPathFor(join(dir, 'report.md'), 'tmp');
    writeFileSync(temp, 'half');
    trackTemp(temp);
    expect(removeTrackedTemps()).toEqual([temp]);
    expect(existsSync(temp)).toBe(false);
  });
});

describe('makeDirectories', () => {
  it('creates each missing level and lists them, outermost first; removeDirectories takes back the empty ones', async () => {
    const dir = scratch();
    const created = await makeDirectories(join(dir, 'a/b/c'));
    expect(created).toEqual([join(dir, 'a'), join(dir, 'a/b'), join(dir, 'a/b/c')]);
    writeFileSync(join(dir, 'a/kept'), '');
    await removeDirectories(created);
    expect(readdirSync(dir)).toEqual(['a']);
    expect(readdirSync(join(dir, 'a'))).toEqual(['kept']);
  });

  it('fails under /proc instead of looping (node\'s recursive mkdir never returns there)', async () => {
    await expect(makeDirectories('/proc/ratchet-nowhere/results')).rejects.toMatchObject({ code: 'ENOENT', message: 'cannot create directory /proc/ratchet-nowhere (ENOENT)' });
  });

  it('fails when a parent is a file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    await expect(makeDirectories(join(dir, 'file/sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
