import { describe, expect, it } from 'vitest';
import type { RunResult } from './index.js';
import { validateBaseline, validateComparison, validateRunResult } from './validate.js';

const device = {
  backend: 'cuda', name: 'NVIDIA H100 80GB HBM3', deviceKey: 'nvbench/NVIDIA-H100-80GB-HBM3/sm90', computeCapability: '9.0', multiprocessorCount: 132,
  l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
} as const;
const stats = { kind: 'mean-std', n: 499, meanMs: 1.0034, stdMs: 0.0005 } as const;
const imported = (): RunResult => structuredClone({
  schemaVersion: 2, createdAt: '2026-12-06T00:00:00.000Z', git: null, device,
  timing: { clock: 'cuda-events', warmup: 0, l2Flush: true, launchesPerSample: 1 },
  measurements: [{
    id: 'simple', benchmark: { kernel: 'simple' }, status: 'ok', variant: 'default', samplesMs: [], summary: null, reported: stats, harnessName: 'simple',
    flops: 0, bytes: 0, tflops: null, gbps: null, roof: null, roofFraction: null, correctness: null, stopReason: null, clockStart: null, clockEnd: null,
  }],
  imported: { format: 'nvbench', harness: 'nvbench', harnessVersion: '0.1.0', files: ['ref.json'] },
});

describe('imported measurements in the contract', () => {
  it('a run read from a harness: reported statistics in place of samples, correctness not checked (null), where it came from', () => {
    expect(validateRunResult(imported(), 'r.json')).toEqual(imported());
  });

  it('refuses reported statistics beside samples, and quartiles out of order, naming the field', () => {
    const both = imported();
    both.measurements[0]!.samplesMs = [1];
    expect(() => validateRunResult(both, 'r.json')).toThrow('r.json: measurements[0].reported: reported statistics stand in for samples: expected no samples and a null summary beside them');
    const disordered = imported();
    disordered.measurements[0]!.reported = { kind: 'median-iqr', n: 9, medianMs: 1, p25Ms: 1.2, p75Ms: 1.3 };
    expect(() => validateRunResult(disordered, 'r.json')).toThrow('r.json: measurements[0].reported: expected p25Ms <= medianMs <= p75Ms but received 1.2, 1, 1.3');
    const unknownKind = imported();
    (unknownKind.measurements[0]!.reported as unknown as { kind: string }).kind = 'p90';
    expect(() => validateRunResult(unknownKind, 'r.json')).toThrow('r.json: measurements[0].reported.kind: expected one of "mean-std", "median-iqr", "single" but received "p90" (string)');
  });

  it('a baseline entry of reported statistics has no samples and no summary; one of samples needs both', () => {
    const entry = { summary: null, samplesMs: [], reported: stats, variant: 'default', sha: null, acceptedAt: 't', acceptedAs: 'new' };
    const baseline = { schemaVersion: 2, devices: { [device.deviceKey]: { device, benchmarks: { simple: entry } } } };
    expect(validateBaseline(structuredClone(baseline), 'b.json').devices[device.deviceKey]!.benchmarks.simple!.reported).toEqual(stats);
    const bare = structuredClone(baseline);
    delete (bare.devices[device.deviceKey]!.benchmarks.simple as { reported?: unknown }).reported;
    expect(() => validateBaseline(bare, 'b.json')).toThrow('b.json: devices["nvbench/NVIDIA-H100-80GB-HBM3/sm90"].benchmarks.simple.summary: expected a summary (or `reported` statistics in place of samples) but received null (null)');
  });

  it('a comparison keeps what each verdict rested on and where the run came from', () => {
    const result = {
      id: 'simple', verdict: 'unchanged', baseline: null, current: null, ratio: 1, ratioCi95: null, changePct: 0, pValue: null,
      reason: 'r', tflops: null, variant: 'default', evidence: 'none', reported: { baseline: stats, current: stats },
    };
    const counts = { regression: 0, improvement: 0, unchanged: 1, new: 0, missing: 0, invalid: 0, inconclusive: 0 };
    const comparison = {
      schemaVersion: 2, createdAt: 't', git: null, device, timing: imported().timing, thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 },
      results: [result], counts, imported: imported().imported,
    };
    expect(validateComparison(structuredClone(comparison), 'c.json').results[0]!.evidence).toBe('none');
    expect(() => validateComparison({ ...comparison, results: [{ ...result, evidence: 'vibes' }] }, 'c.json')).toThrow('c.json: results[0].evidence: expected one of "samples", "summary", "none" but received "vibes" (string)');
  });
});
