import { describe, expect, it } from 'vitest';
import { renderMergedMarkdown } from '@ratchet/report';
import { isRatchetError, type BenchmarkComparison, type Comparison, type Device, type ShardStamp, type Summary, type Verdict } from '@ratchet/types';
import { gate } from '@ratchet/baseline';
import { mergeShards, suiteHash, type ShardFiles } from './merge.js';

const summary = (median: number): Summary => ({
  n: 100, mean: median, median, std: 0.01, cv: 0.01, min: median * 0.98, max: median * 1.02, p05: median, p25: median,
  p75: median, p95: median, p99: median, ci95Mean: [median, median], ci95Median: [median * 0.99, median * 1.01],
});
const device = (name: string, sm: string, uuid: string): Device => ({
  backend: 'cuda', name, deviceKey: `${name.replaceAll(' ', '-')}/${sm}`, index: 0, uuid, computeCapability: '9.0', multiprocessorCount: 132,
  l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
});
const h100 = (uuid: string) => device('NVIDIA H100 80GB HBM3', 'sm90', uuid);
const h200 = (uuid: string) => device('NVIDIA H200', 'sm90', uuid);
const suite = ['flash_fwd/fp16/B1_H1_S64_D64', 'flash_fwd/fp16/B1_H1_S128_D64', 'rmsnorm/fp16/rows64_cols64', 'rmsnorm/bf16/rows64_cols64'];

const result = (id: string, verdict: Verdict): BenchmarkComparison => ({
  id, verdict, baseline: summary(1), current: summary(verdict === 'regression' ? 1.1 : 1), ratio: 1, ratioCi95: [0.99, 1.01], changePct: 0, pValue: 0.5, reason: '', tflops: null, variant: 'v',
});

function shard(file: string, on: Device, index: number, count: number, verdicts: Record<string, Verdict>, stamp: Partial<ShardStamp> = {}): ShardFiles {
  const results = Object.entries(verdicts).map(([id, verdict]) => result(id, verdict));
  const counts = Object.fromEntries((['regression', 'improvement', 'unchanged', 'new', 'missing', 'invalid', 'inconclusive'] as Verdict[]).map((v) => [v, results.filter((r) => r.verdict === v).length])) as Comparison['counts'];
  const comparison: Comparison = {
    schemaVersion: 2, createdAt: `2026-12-07T00:00:0${index}.000Z`, git: { sha: 'a'.repeat(40), branch: 'main', dirty: false }, device: on,
    timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 }, thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 },
    results, counts, errorControl: { method: 'holm', alpha: 0.05, looks: 2, benchmarks: suite.length },
    shard: { index, count, suite: suiteHash(suite), suiteSize: suite.length, config: 'sha256:c', build: 'b', against: 'baseline:sha256:0', ...stamp },
  };
  return { file, comparison };
}

function refusal(shards: ShardFiles[]): string {
  try {
    mergeShards(shards);
  } catch (error) {
    if (isRatchetError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'merged';
}

describe('ratchet merge', () => {
  const [a, b, c, d] = suite as [string, string, string, string];
  const fleet = [
    shard('h100-1/comparison.json', h100('GPU-1'), 1, 2, { [a]: 'unchanged', [b]: 'unchanged' }),
    shard('h100-2/comparison.json', h100('GPU-2'), 2, 2, { [c]: 'unchanged', [d]: 'improvement' }),
    shard('h200-1/comparison.json', h200('GPU-3'), 1, 1, { [a]: 'regression', [b]: 'unchanged', [c]: 'unchanged', [d]: 'unchanged', 'flash_fwd/bf16/B9_H9_S9_D64': 'missing' }),
  ];

  it('joins every shard of each device into one comparison per device key, the whole suite in each', () => {
    const { merged, runs } = mergeShards(fleet);
    expect(runs).toBeNull();
    expect(merged.comparisons.map((comparison) => [comparison.device.deviceKey, comparison.results.length, comparison.counts.unchanged])).toEqual([
      ['NVIDIA-H100-80GB-HBM3/sm90', 4, 3],
      ['NVIDIA-H200/sm90', 5, 3],
    ]);
    // The kind of device, not one GPU of it; the shards say which GPUs ran.
    expect(merged.comparisons[0]!.device.uuid).toBeUndefined();
    expect(merged.comparisons[0]!.shard).toBeUndefined();
    expect(merged.shards.map((s) => [s.deviceKey, s.index, s.uuid, s.benchmarks])).toEqual([
      ['NVIDIA-H100-80GB-HBM3/sm90', 1, 'GPU-1', 2], ['NVIDIA-H100-80GB-HBM3/sm90', 2, 'GPU-2', 2], ['NVIDIA-H200/sm90', 1, 'GPU-3', 4],
    ]);
    expect(merged.comparisons.map((comparison) => gate(comparison).passed)).toEqual([true, false]);
    expect(merged.createdAt).toBe('2026-12-07T00:00:01.000Z');
  });

  it('reports one line for the pull request, then a section per device, the failing one first', () => {
    const text = renderMergedMarkdown(mergeShards(fleet).merged);
    expect(text.split('\n').slice(0, 5)).toEqual([
      '# Performance Ratchet Report', '', '❌ **1 regression** on NVIDIA H200 (1 of 2 devices) at `aaaaaaaaaaaa`', '',
      '## NVIDIA H200 (`NVIDIA-H200/sm90`, one run)',
    ]);
    expect(text).toContain('## NVIDIA H100 80GB HBM3 (`NVIDIA-H100-80GB-HBM3/sm90`, 2 shards on 2 GPUs)');
    expect(text).toContain('### ❌ Regressions');
    expect(text).not.toMatch(/^## ❌/m);
  });

  it('refuses shards of another commit, suite, config, build or judge, naming the file and the field', () => {
    const other = (stamp: Partial<ShardStamp>) => shard('other/comparison.json', h100('GPU-2'), 2, 2, { [c]: 'unchanged', [d]: 'unchanged' }, stamp);
    expect(refusal([fleet[0]!, other({ config: 'sha256:d' })])).toBe(
      "ERR_RATCHET_INVALID_RESULTS: other/comparison.json: shard.config: sha256:d differs from h100-1/comparison.json's sha256:c: another ratchet.config.json, not merged",
    );
    expect(refusal([fleet[0]!, other({ build: 'e' })])).toContain('shard.build: e differs from');
    expect(refusal([fleet[0]!, other({ against: 'commit:1234' })])).toContain('judged against another base commit or baseline, not merged');
    expect(refusal([fleet[0]!, other({ suite: suiteHash([a, b, c]), suiteSize: 3 })])).toContain('shard.suite:');
    const later = other({});
    later.comparison = { ...later.comparison, git: { sha: 'b'.repeat(40), branch: 'main', dirty: false } };
    expect(refusal([fleet[0]!, later])).toBe(`ERR_RATCHET_INVALID_RESULTS: other/comparison.json: git.sha: commit ${'b'.repeat(40)} is not h100-1/comparison.json's ${'a'.repeat(40)}: shards of one merge measure one commit`);
  });

  it('refuses a benchmark judged by two shards, shards of another count, and shards that are not the whole suite', () => {
    const overlapping = shard('h100-2/comparison.json', h100('GPU-2'), 2, 2, { [b]: 'unchanged', [c]: 'unchanged', [d]: 'unchanged' });
    expect(refusal([fleet[0]!, overlapping])).toContain(`results: ${b} was judged by two shards of NVIDIA-H100-80GB-HBM3/sm90 (also h100-1/comparison.json)`);
    expect(refusal([fleet[0]!, shard('h100-3/comparison.json', h100('GPU-2'), 2, 3, { [c]: 'unchanged', [d]: 'unchanged' })])).toContain('was cut into 2 shards in h100-1/comparison.json, 3 here');
    const short = shard('h100-2/comparison.json', h100('GPU-2'), 2, 2, { [c]: 'unchanged' });
    expect(refusal([fleet[0]!, short])).toContain('judged 3 benchmarks that are not the suite they were cut from (4 benchmarks');
  });
});
