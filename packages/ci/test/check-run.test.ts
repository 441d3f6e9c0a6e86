import type { BenchmarkComparison, Comparison } from '@ratchet/types';
import { describe, expect, it } from 'vitest';
import { annotationsFor, createCheckRun, pullRequestForCommit } from '../src/index.js';
import { localGitHubPerTest } from './local-github.js';

const head = 'c0ffee'.padEnd(40, '0');
const github = localGitHubPerTest({ pulls: { 7: { number: 7, state: 'open', head: { sha: head } }, 6: { number: 6, state: 'closed', head: { sha: head } } } }, { retries: 0, backoffMs: 1 });
const { client } = github;

const result = (id: string, verdict: BenchmarkComparison['verdict'], changePct: number | null): BenchmarkComparison => ({
  id, verdict, baseline: null, current: null, ratio: null, ratioCi95: null, changePct, pValue: null, reason: `${verdict} because`, tflops: null, variant: null,
});
function comparison(results: BenchmarkComparison[]): Comparison {
  const counts = { regression: 0, improvement: 0, unchanged: 0, new: 0, missing: 0, invalid: 0, inconclusive: 0 };
  for (const r of results) counts[r.verdict] += 1;
  return {
    schemaVersion: 2, createdAt: '2026-12-06T00:00:00.000Z', git: null,
    device: { backend: 'cpu', name: 'cpu', deviceKey: 'cpu/x', computeCapability: null, multiprocessorCount: 1, l2CacheBytes: null, memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null },
    timing: { clock: 'steady-clock', warmup: 0, l2Flush: false, launchesPerSample: 1 }, thresholds: { regressionPct: 3, improvementPct: 5, alpha: 0.05 }, results, counts,
  };
}

describe('a Check run with annotations on the benchmarks to look at', () => {
  it('annotates regressions and invalid kernels as failures, an inconclusive one past the threshold as a warning, nothing else', () => {
    const annotations = annotationsFor(comparison([result('a', 'regression', 12), result('b', 'invalid', null), result('c', 'inconclusive', 4), result('d', 'inconclusive', 1), result('e', 'unchanged', 0)]), (r) => `bench/${r.id}.py`);
    expect(annotations.map((a) => [a.path, a.annotation_level, a.title])).toEqual([
      ['bench/a.py', 'failure', 'regression +12.0%: a'],
      ['bench/b.py', 'failure', 'invalid: b'],
      ['bench/c.py', 'warning', 'inconclusive +4.0%: c'],
    ]);
  });

  it('creates a completed run, failed when the gate fails, and sends 60 annotations as 50 then 10', async () => {
    const regressed = comparison(Array.from({ length: 60 }, (_, i) => result(`k${i}`, 'regression', 10)));
    const run = await createCheckRun(client(), { owner: 'octo', repo: 'ratchet', headSha: head, comparison: regressed, markdown: '# report', annotations: annotationsFor(regressed, () => 'ratchet.config.json') });
    expect(run.annotations).toBe(60);
    const [sent] = github.server.checkRuns;
    expect(sent).toMatchObject({ name: 'ratchet', head_sha: head, status: 'completed', conclusion: 'failure', output: { title: '60 regressions in 60 benchmarks', text: '# report' } });
    expect(sent!.output.annotations).toHaveLength(60);
    expect(github.server.requests.filter((r) => r.path.includes('check-runs')).map((r) => `${r.method} ${(r.body as { output: { annotations: unknown[] } }).output.annotations.length}`)).toEqual(['POST 50', 'PATCH 10']);
    await createCheckRun(client(), { owner: 'octo', repo: 'ratchet', headSha: head, comparison: comparison([result('a', 'unchanged', 0)]), markdown: '', annotations: [] });
    expect(github.server.checkRuns[1]).toMatchObject({ conclusion: 'success', output: { title: 'no regressions in 1 benchmark' } });
  });

  it('says which permission is missing when GitHub refuses', async () => {
    github.server.failNext(403);
    await expect(createCheckRun(client(), { owner: 'octo', repo: 'ratchet', headSha: head, comparison: comparison([]), markdown: '', annotations: [] })).rejects.toThrow(/^GitHub refused to create the check run \(403 Resource not accessible by integration\): the workflow needs `permissions: checks: write`$/);
  });

  it('finds the open pull request whose head is the commit, from GitHub, not from the run', async () => {
    expect(await pullRequestForCommit(client(), 'octo', 'ratchet', head)).toBe(7);
    expect(await pullRequestForCommit(client(), 'octo', 'ratchet', 'f'.repeat(40))).toBeNull();
  });
});
