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
