import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult, Tuning } from '@ratchet/types';
import { ratchet, readJson, scratchProject } from './cli-harness.js';

describe('ratchet autotune on the CPU backend', () => {
  const dir = scratchProject();
  const tuningPath = join(dir, '.ratchet/tuning.json');

  it('measures every variant of every benchmark and records a choice per benchmark', () => {
    // The budget with its unit: 20s, as a user would write it.
    const run = ratchet(dir, ['autotune', '--backend', 'cpu', '--budget', '20s']);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^\[2\/4 variants\] flash_fwd\/fp16\/B1_H1_S128_D32  (kept cpu-blocked|chose cpu-rowwise \(\d\.\d\dx\))$/),
      expect.stringMatching(/^\[4\/4 variants\] flash_fwd\/bf16\/B1_H1_S96_D16_causal  (kept cpu-blocked|chose cpu-rowwise \(\d\.\d\dx\))$/),
    ]);
    expect(run.status).toBe(0);
    const tuning = readJson<Tuning>(tuningPath);
    const [deviceKey] = Object.keys(tuning.devices);
    const entries = tuning.devices[deviceKey!]!.benchmarks;
    expect(Object.keys(entries).sort()).toEqual(['flash_fwd/bf16/B1_H1_S96_D16_causal', 'flash_fwd/fp16/B1_H1_S128_D32']);
    for (const entry of Object.values(entries)) {
      expect(entry.candidates.map((c) => c.variant)).toEqual(['cpu-blocked', 'cpu-rowwise']);
      expect(entry.defaultVariant).toBe('cpu-blocked');
      expect(['cpu-blocked', 'cpu-rowwise']).toContain(entry.variant);
      expect(entry.confidence).toBeCloseTo(0.95, 10);
      if (entry.variant !== entry.defaultVariant) expect(entry.candidates[1]!.ratioCi![1]).toBeLessThan(1);
    }
    expect(run.stdout).toMatch(/# Autotune: /);
    expect(readFileSync(join(dir, 'results/autotune.md'), 'utf8')).toMatch(/\| flash\\_fwd/);
  });

  it('resumes: a second run measures nothing already tuned', () => {
    const before = readFileSync(tuningPath, 'utf8');
    const run = ratchet(dir, ['autotune', '--backend', 'cpu', '--budget', '20']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/resuming: 2 benchmark\(s\) already tuned/);
    expect(readFileSync(tuningPath, 'utf8')).toBe(before);
  });

  it('bench uses the tuned variant and records it in the results', () => {
    const tuning = readJson<Tuning>(tuningPath);
    const entries = Object.values(tuning.devices)[0]!.benchmarks;
    // Force a choice the default would not make, to see that dispatch follows the file.
    for (const entry of Object.values(entries)) entry.variant = 'cpu-rowwise';
    writeFileSync(tuningPath, JSON.stringify(tuning));
    expect(ratchet(dir, ['bench', '--backend', 'cpu']).status).toBe(0);
    const result = readJson<RunResult>(join(dir, 'results/current.json'));
    expect(result.measurements.map((m) => m.variant)).toEqual(['cpu-rowwise', 'cpu-rowwise']);
  });

  describe('a pinned entry no longer about the code compiled now is ignored, in one line that says what to run', () => {
    const ids = ['flash_fwd/fp16/B1_H1_S128_D32', 'flash_fwd/bf16/B1_H1_S96_D16_causal'];
    /** The tuning file both benchmarks pinned to cpu-rowwise (as the test above left it), edited; then bench. */
    const benchWith = (edit: (entries: Tuning['devices'][string]['benchmarks'], tuning: Tuning) => void) => {
      const tuning = readJson<Tuning>(tuningPath);
      for (const entry of Object.values(Object.values(tuning.devices)[0]!.benchmarks)) entry.variant = 'cpu-rowwise';
      const copy = structuredClone(tuning);
      edit(Object.values(copy.devices)[0]!.benchmarks, copy);
      writeFileSync(tuningPath, JSON.stringify(copy));
      const run = ratchet(dir, ['bench', '--backend', 'cpu']);
      writeFileSync(tuningPath, JSON.stringify(tuning));
      expect(run.status, run.stderr).toBe(0);
      return { notes: run.stderr.split('\n').filter((line) => line.startsWith('tuning.json')), variants: readJson<RunResult>(join(dir, 'results/current.json')).measurements.map((m) => m.variant) };
    };

    it('its variant\'s code changed since it was tuned (another kernel identity)', () => {
      const outcome = benchWith((entries) => {
        entries[ids[0]!]!.candidates.find((c) => c.variant === 'cpu-rowwise')!.kernelIdentity = `cpu:${'0'.repeat(64)}`;
      });
      expect(outcome.notes).toEqual([`tuning.json: the entry for ${ids[0]} ignored, default variant used: the code of cpu-rowwise changed since it was tuned; tune again with \`ratchet autotune ${ids[0]}\``]);
      expect(outcome.variants).toEqual(['cpu-blocked', 'cpu-rowwise']);
    });

    it('it was chosen among other variants than the build has now', () => {
      const outcome = benchWith((entries) => {
        const entry = entries[ids[1]!]!;
        entry.candidates.push({ ...entry.candidates[1]!, variant: 'cpu-simd' });
      });
      expect(outcome.notes).toEqual([`tuning.json: the entry for ${ids[1]} ignored, default variant used: the variants changed since it was tuned (cpu-simd gone); tune again with \`ratchet autotune ${ids[1]}\``]);
      expect(outcome.variants).toEqual(['cpu-rowwise', 'cpu-blocked']);
    });

    it('written by an older Ratchet (schema 2, no kernel identities): it cannot be checked, so neither pin is used', () => {
      const outcome = benchWith((entries, tuning) => {
        Object.assign(tuning, { schemaVersion: 2 });
        for (const entry of Object.values(entries)) entry.candidates = entry.candidates.map(({ kernelIdentity: _, ...candidate }) => candidate);
      });
      expect(outcome.notes).toEqual([expect.stringMatching(new RegExp(`^tuning\\.json: 2 entries for ${ids.join(', ')} ignored, default variant used: it records no kernel identities .*; tune again with \`ratchet autotune ${ids.join(' ')}\`$`))]);
      expect(outcome.variants).toEqual(['cpu-blocked', 'cpu-blocked']);
    });

    it('autotune tunes such an entry again instead of resuming past it, and records the identities', () => {
      const tuning = readJson<Tuning>(tuningPath);
      const entries = Object.values(tuning.devices)[0]!.benchmarks;
      entries[ids[0]!]!.candidates = entries[ids[0]!]!.candidates.map(({ kernelIdentity: _, ...candidate }) => candidate);
      writeFileSync(tuningPath, JSON.stringify(tuning));
      const run = ratchet(dir, ['autotune', '--backend', 'cpu', '--budget', '4']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/resuming: 1 benchmark\(s\) already tuned/);
      expect(run.stderr).toContain(`tuning ${ids[0]} again: it records no kernel identities`);
      const retuned = Object.values(readJson<Tuning>(tuningPath).devices)[0]!.benchmarks[ids[0]!]!;
      expect(retuned.candidates.map((c) => c.kernelIdentity)).toEqual([expect.stringMatching(/^cpu:[0-9a-f]{64}$/), expect.stringMatching(/^cpu:[0-9a-f]{64}$/)]);
    });
  });

  it('ignores a tuning file made on another device, with a note', () => {
    const other = scratchProject();
    const tuning = readJson<Tuning>(tuningPath);
    const entries = Object.values(tuning.devices)[0]!;
    writeFileSync(join(other, 'tuning.json'), JSON.stringify({ schemaVersion: 1, devices: { 'NVIDIA-H100-80GB-HBM3/sm90': entries } }));
    const config = JSON.parse(readFileSync(join(other, 'ratchet.config.json'), 'utf8'));
    writeFileSync(join(other, 'ratchet.config.json'), JSON.stringify({ ...config, paths: { tuning: 'tuning.json' } }));
    const run = ratchet(other, ['bench', '--backend', 'cpu']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/tuning\.json has no entries for cpu\/.* \(only NVIDIA-H100-80GB-HBM3\/sm90\): default variants used/);
    expect(readJson<RunResult>(join(other, 'results/current.json')).measurements.map((m) => m.variant)).toEqual(['cpu-blocked', 'cpu-blocked']);
  });

  it('rejects a malformed tuning file with exit code 2', () => {
    const bad = scratchProject();
    writeFileSync(join(bad, 'tuning.json'), '{"schemaVersion": 1, "devices": {"x": {"deviceName": "x", "benchmarks": {"nonsense": {}}}}}');
    const config = JSON.parse(readFileSync(join(bad, 'ratchet.config.json'), 'utf8'));
    writeFileSync(join(bad, 'ratchet.config.json'), JSON.stringify({ ...config, paths: { tuning: 'tuning.json' } }));
    const run = ratchet(bad, ['bench', '--backend', 'cpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/tuning\.json: devices\.x\.benchmarks\.nonsense/);
  });
});
