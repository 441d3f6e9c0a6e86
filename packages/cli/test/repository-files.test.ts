import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTuning } from '@ratchet/files';
import { loadConfig } from '@ratchet/core';

// The files outside the packages that decide what a GPU run times (nx input `timedFiles` of this
// project's test target, so a change to one of them runs this test and the GPU job).
const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function scripts(dir: string): string[] {
  return readdirSync(join(repository, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? scripts(join(dir, entry.name)) : /\.(mjs|sh)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

describe('the repository files a GPU run reads', () => {
  it('ratchet.config.json loads and has a suite for each backend', async () => {
    const { config } = await loadConfig({ cwd: repository });
    expect(config.suites.cpu.length).toBeGreaterThan(0);
    expect(config.suites.cuda.length).toBeGreaterThan(0);
  });

  it('.ratchet/tuning.json is a valid tuning file (readTuning validates it) whose entries can be checked against the code', async () => {
    const tuning = await readTuning(join(repository, '.ratchet/tuning.json'));
    expect(tuning).not.toBeNull();
    // An entry without its candidates' kernel identities (schema 2) is ignored by every run: committed, it only misleads.
    const entries = Object.entries(tuning!.devices).flatMap(([deviceKey, device]) => Object.entries(device.benchmarks).map(([id, entry]) => ({ at: `${deviceKey} ${id}`, entry })));
    expect(entries.filter(({ entry }) => entry.candidates.length === 0 || entry.candidates.some((c) => c.kernelIdentity === undefined)).map(({ at }) => at)).toEqual([]);
  });

  it('every script in scripts/ parses', () => {
    const found = scripts('scripts');
    expect(found).toEqual(expect.arrayContaining(['scripts/gpu-host.sh', 'scripts/bench-tooling.mjs']));
    for (const script of found) {
      const check = script.endsWith('.sh') ? spawnSync('bash', ['-n', script], { cwd: repository, encoding: 'utf8' }) : spawnSync(process.execPath, ['--check', script], { cwd: repository, encoding: 'utf8' });
      expect(check.status, `${script}: ${check.stderr}`).toBe(0);
    }
  });
});
