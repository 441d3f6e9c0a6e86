import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeAddonPath, sourceFileList } from '@ratchet/native';
import { ratchet, scratchProject } from './cli-harness.js';

// A project that builds the addon this CLI loads (its config's build.addon names it) and holds
// its sources, or other ones. Outside git, the config's directory is the checkout.
const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const addon = nativeAddonPath()!;
const buildsThisAddon = { build: { command: ['true'], addon } };

describe('a stale build is never timed silently (issue 16 item 4)', () => {
  it('runs, with one warning line naming the addon, when the checkout holds other sources than it was built from', () => {
    const dir = scratchProject(buildsThisAddon);
    const run = ratchet(dir, ['bench', '--backend', 'cpu']);
    expect(run.status, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ratchet_native\.node was built .* from other sources than this checkout's \(source hash [0-9a-f]{12}, checkout [0-9a-f]{12}\): rebuild it/);
  });

  it('says nothing when the checkout holds the sources the addon was built from', () => {
    const dir = scratchProject(buildsThisAddon);
    for (const file of sourceFileList(repository)) cpSync(join(repository, file), join(dir, file));
    const run = ratchet(dir, ['bench', '--backend', 'cpu']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/warning: .*built .* from other sources/);
  });

  it('run --base refuses a stale HEAD with exit 3 before measuring anything', () => {
    const dir = scratchProject(buildsThisAddon);
    const run = ratchet(dir, ['run', '--backend', 'cpu', '--base', 'HEAD']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/HEAD: .*ratchet_native\.node was built .* from other sources than this checkout's/);
    expect(run.stdout).toBe('');
  });

  it('run --base-build refuses a base checkout whose addon was built from other sources than it holds', () => {
    const dir = scratchProject(buildsThisAddon);
    for (const file of sourceFileList(repository)) cpSync(join(repository, file), join(dir, file));
    // --base-build is relative mode: the head is a git checkout.
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const base = mkdtempSync(join(tmpdir(), 'ratchet-base-'));
    const run = ratchet(dir, ['run', '--backend', 'cpu', '--base-build', base]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/the base \(unknown\): .*ratchet_native\.node was built .* from other sources than this checkout's/);
  });
});
