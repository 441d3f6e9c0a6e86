import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertWritable } from './writable.js';
import { stageOutputs, writeOutputs } from './write-set.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ratchet-outputs-'));

/** Every file under `dir`, with its content: what a write left on disk. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name).slice(dir.length + 1)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('writeOutputs', () => {
  it('lands every file of the set, creating directories, with no temporary left', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'old.json'), 'old');
    await writeOutputs([{ path: join(dir, 'old.json'), text: 'new' }, { path: join(dir, 'results/current.json'), text: '{}' }]);
    expect(snapshot(dir)).toEqual({ 'old.json': 'new', 'results/current.json': '{}' });
  });

  it('puts back what had landed when a later file cannot be renamed into place: nothing changes', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'baseline.json'), 'old baseline');
    writeFileSync(join(dir, 'report.md'), 'old report');
    const staged = await stageOutputs([
      { path: join(dir, 'baseline.json'), text: 'new baseline' },
      { path: join(dir, 'comparison.json'), text: 'new comparison' },
      { path: join(dir, 'report.md'), text: 'new report' },
    ]);
    // Between staging and commit the report's place becomes a directory: its rename must fail.
    rmSync(join(dir, 'report.md'));
    mkdirSync(join(dir, 'report.md'));
    writeFileSync(join(dir, 'report.md/inside'), 'x');
    expect(() => staged.commit()).toThrow(/report\.md: cannot write \(.*\); nothing was changed/);
    expect(snapshot(dir)).toEqual({ 'baseline.json': 'old baseline', 'report.md/inside': 'x' });
  });

  it('writes nothing, and leaves no directory it made, when one file cannot even be staged', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'blocker'), 'a file where a directory should be');
    await expect(writeOutputs([
      { path: join(dir, 'results/current.json'), text: '{}' },
      { path: join(dir, 'blocker/report.md'), text: '#' },
    ])).rejects.toMatchObject({ code: 'ERR_RATCHET_UNWRITABLE_PATH', message: expect.stringContaining('blocker/report.md: cannot write') });
    expect(snapshot(dir)).toEqual({ blocker: 'a file where a directory should be' });
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('writes nothing when the last look before the commit says stop (an interrupt)', async () => {
    const dir = scratch();
    const stop = () => {
      throw new Error('interrupted');
    };
    await expect(writeOutputs([{ path: join(dir, 'a/current.json'), text: '{}' }], stop)).rejects.toThrow('interrupted');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('assertWritable', () => {
  it('refuses a path under /proc, where nothing can be created though the directory exists', async () => {
    await expect(assertWritable(['/proc/self/status'])).rejects.toThrow('/proc/self/status: cannot write here (cannot create a file in /proc/self: this file system takes no new files)');
    await expect(assertWritable(['/proc/ratchet/results/current.json'])).rejects.toThrow(/cannot create a file in \/proc:/);
  });

  it('accepts a path whose directories do not exist yet, and leaves nothing behind', async () => {
    const dir = scratch();
    await assertWritable([join(dir, 'results/current.json'), join(dir, 'report.md')]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
