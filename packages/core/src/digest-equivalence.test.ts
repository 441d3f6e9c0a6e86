// The committed H100 and H200 entries (.ratchet/baseline.json as it was at 52c3474, before
// digests: test/fixtures/baseline-52c3474.json.gz) judged with every sample and with their
// digest: the same verdicts (issue 26). Each device's suite is one run of its entries' own samples,
// scaled from 10% faster to 10% slower, judged as `ratchet run` judges across runs (Holm over the
// run, two looks, each rule a cross-run change may fall to).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compare, digestBaseline } from '@ratchet/baseline';
import { baselineJson } from '@ratchet/files';
import { lognormal, seededRandom, sortedSamples, summarize } from '@ratchet/stats';
import { validateBaseline, type Baseline, type BaselineEntry, type Benchmark, type Measurement, type RunResult } from '@ratchet/types';
import { crossRunRule } from './confirm.js';
import { defaultConfig } from './defaults.js';
import { remeasureLooks } from './remeasure.js';

const committed: Baseline = validateBaseline(JSON.parse(gunzipSync(readFileSync(new URL('../test/fixtures/baseline-52c3474.json.gz', import.meta.url))).toString('utf8')), 'baseline-52c3474.json');
const digested = digestBaseline(committed);
const factors = [0.9, 0.95, 0.97, 0.98, 0.99, 1, 1.01, 1.02, 1.025, 1.03, 1.035, 1.04, 1.05, 1.07, 1.1];

/** An entry's own samples, scaled, as another build's measurement (clocks kept where it read them). */
function measured(id: string, entry: BaselineEntry, factor: number): Measurement {
  const samplesMs = entry.samplesMs!.map((ms) => ms * factor);
  const kcycles = entry.samplesKcycles;
  const clocks = kcycles ? entry.samplesMs!.map((ms, i) => kcycles[i]! / ms) : undefined;
  const benchmark = { kernel: id.split('/')[0]!, id } as unknown as Benchmark;
  return {
    id, benchmark, status: 'ok', variant: entry.variant, samplesMs, ...(clocks ? { samplesClockMHz: clocks } : {}), summary: summarize(samplesMs),
    kernelIdentity: `sm_90:${String(factor).padEnd(64, '0').slice(0, 64)}`, flops: 1, bytes: 1, tflops: null, gbps: null, roof: null, roofFraction: null,
    correctness: { passed: true, maxAbsError: 0, relError: 0, tolerance: 1, reference: 'fixture' }, stopReason: 'converged', clockStart: null, clockEnd: null,
  };
}

function runOf(deviceKey: string, factor: number): RunResult {
  const { device, benchmarks } = committed.devices[deviceKey]!;
  return {
    schemaVersion: 2, createdAt: '2026-12-07T00:00:00.000Z', git: null, device, timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 },
    measurements: Object.entries(benchmarks).map(([id, entry]) => measured(id, entry, factor)),
  };
}

describe('a baseline digest judges as every sample does: the committed H100 and H200 entries', () => {
  it('keeps every sample in the fixture (what the digest is checked against), 32 entries on two devices', () => {
    expect(Object.keys(committed.devices).sort()).toEqual(['NVIDIA-H100-80GB-HBM3/sm90', 'NVIDIA-H200/sm90']);
    const entries = Object.values(committed.devices).flatMap((device) => Object.values(device.benchmarks));
    expect(entries).toHaveLength(32);
    expect(entries.every((entry) => entry.samplesMs && !entry.digest)).toBe(true);
  });

  for (const deviceKey of Object.keys(committed.devices)) {
    for (const rule of ['confirmation', 'unconfirmable'] as const) {
      it(`${deviceKey}, a change ${rule === 'confirmation' ? 'to confirm against its commit' : 'with no commit to confirm against'}: the same verdict for every entry at every scale`, () => {
        const options = { looks: remeasureLooks, crossRun: crossRunRule(rule === 'confirmation') };
        const differences: string[] = [];
        let worst = 0;
        for (const factor of factors) {
          const run = runOf(deviceKey, factor);
          const full = compare(run, committed, defaultConfig.thresholds, options);
          const digest = compare(run, digested, defaultConfig.thresholds, options);
          for (const result of full.results) {
            const other = digest.results.find((r) => r.id === result.id)!;
            if (other.verdict !== result.verdict) differences.push(`x${factor} ${result.id}: ${result.verdict} with every sample, ${other.verdict} with the digest`);
            worst = Math.max(worst, Math.abs(other.changePct! - result.changePct!));
          }
        }
        expect(differences).toEqual([]);
        // The estimate itself within 0.05 percentage points (0.027 measured: 50 us kernels read to a 0.5 us tick).
        expect(worst).toBeLessThan(0.05);
      });
    }
  }
});

// baseline.json as the writers lay it out (@ratchet/files' baselineJson: arrays of numbers on one
// line), so here rather than beside digest.ts: baseline keeps no file format of its own.
describe('the size of a digested entry in baseline.json', () => {
  it('makes an entry of 2,000 samples a few KB of baseline.json, where every sample took 40', () => {
    const samplesMs = lognormal(seededRandom(3), 2000, 1, 0.02);
    const [deviceKey, { device }] = Object.entries(committed.devices)[0]!;
    const entry: BaselineEntry = { summary: summarize(samplesMs), samplesMs: [...sortedSamples(samplesMs)], variant: 'v', sha: 'a'.repeat(40), acceptedAt: '2026-12-07T00:00:00.000Z', acceptedAs: 'new' };
    const baseline: Baseline = { schemaVersion: 2, devices: { [deviceKey]: { device, benchmarks: { 'flash_fwd/fp16/B1_H1_S512_D64': entry } } } };
    const [full, digestedText] = [baselineJson(baseline).length, baselineJson(digestBaseline(baseline)).length];
    expect(full).toBeGreaterThan(40_000);
    expect(digestedText).toBeLessThan(4_000);
  });
});
