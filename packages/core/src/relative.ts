import { summarize } from '@ratchet/stats';
import {
  attentionBytes,
  attentionFlops,
  baselineSchemaVersion,
  benchmarkId,
  verdicts,
  type Baseline,
  type Benchmark,
  type Comparison,
  type MeasureBudget,
  type Measurement,
  type RelativeInfo,
  type RunResult,
  type Verdict,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { roofline, throttled } from './measure.js';
import { nextBatchSize, stopReason } from './stopping-rule.js';

interface Side {
  backend: MeasureBackend;
  session: BenchmarkSession;
  samplesMs: number[];
  sorted: Float64Array;
  discarded: number;
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function toMeasurement(benchmark: Benchmark, side: Side, correctness: Measurement['correctness'], reason: Measurement['stopReason']): Measurement {
  const flops = attentionFlops(benchmark);
  const bytes = attentionBytes(benchmark);
  const base = { id: benchmarkId(benchmark), benchmark, variant: side.session.variant, flops, bytes, correctness, clockStart: null, clockEnd: side.session.clock() };
  if (!correctness.passed) {
    return { ...base, status: 'invalid', samplesMs: [], summary: null, tflops: null, gbps: null, roof: null, roofFraction: null, stopReason: null, clockEnd: null };
  }
  const summary = summarize(side.samplesMs);
  return {
    ...base, status: 'ok', samplesMs: side.samplesMs, summary, ...roofline(side.backend.device, flops, bytes, summary.median),
    stopReason: reason, ...(side.discarded ? { discardedSamples: side.discarded } : {}),
  };
}

/**
 * One benchmark on two builds in one process, interleaved: a batch of head, then the same number
 * of base samples, and again, until both sides meet the stopping rule. Same seed, so both check
 * the same inputs; clock drift and GPU state hit both sides alike.
 */
export function measureInterleaved(
  head: MeasureBackend,
  base: MeasureBackend,
  benchmark: Benchmark,
  options: { budget: MeasureBudget; seed: number; now?: () => number },
): { head: Measurement; base: Measurement } {
  const { budget, now = () => performance.now() } = options;
  const sides: Side[] = [head, base].map((backend) => ({
    backend, session: backend.open(benchmark, { seed: options.seed }), samplesMs: [], sorted: new Float64Array(0), discarded: 0,
  }));
  try {
    const checks = sides.map((side) => side.session.check());
    if (!checks.every((c) => c.passed)) {
      return { head: toMeasurement(benchmark, sides[0]!, checks[0]!, null), base: toMeasurement(benchmark, sides[1]!, checks[1]!, null) };
    }
    const started = now();
    let reason: Measurement['stopReason'] = null;
    while (reason === null) {
      const lead = sides[0]!;
      const count = nextBatchSize(lead.samplesMs.length, lead.sorted.length ? median(lead.sorted) : 0, now() - started, budget);
      const warmup = lead.samplesMs.length === 0 ? budget.warmup : Math.min(budget.warmup, 2);
      for (const side of sides) {
        const batch = side.session.sample({ warmup, samples: count, l2Flush: budget.l2Flush, launchesPerSample: budget.launchesPerSample });
        if (throttled(side.session.clock(), side.backend.device.smClockMHz)) side.discarded += batch.length;
        else side.samplesMs.push(...batch);
        side.sorted = Float64Array.from(side.samplesMs).sort();
      }
      const elapsed = now() - started;
      if (sides.some((side) => side.samplesMs.length === 0)) {
        if (elapsed >= budget.maxTimeMs) reason = 'time-budget';
        continue;
      }
      // Both sides must be known to the target; a cap on either ends both.
      const reasons = sides.map((side) => stopReason(side.sorted, elapsed, budget));
      reason = reasons.find((r) => r === 'max-samples' || r === 'time-budget') ?? (reasons.every((r) => r === 'converged') ? 'converged' : null);
    }
    return { head: toMeasurement(benchmark, sides[0]!, checks[0]!, reason), base: toMeasurement(benchmark, sides[1]!, checks[1]!, reason) };
  } finally {
    for (const side of sides) side.session.close();
  }
}

/** A base run as a baseline, so compare() judges head against it like against the committed one. */
export function baselineFromRun(run: RunResult): Baseline {
  const benchmarks = Object.fromEntries(
    run.measurements
      .filter((m) => m.status === 'ok' && m.summary)
      .map((m) => [m.id, { summary: m.summary!, samplesMs: m.samplesMs, variant: m.variant, sha: run.git?.sha ?? null, acceptedAt: run.createdAt, acceptedAs: 'new' as const }]),
  );
  return { schemaVersion: baselineSchemaVersion, devices: { [run.device.deviceKey]: { device: run.device, benchmarks } } };
}

/**
 * Stamps a relative comparison with what it compared, and when both sides built the same kernels
 * (A/A) makes sure noise can never be reported as a regression.
 */
export function withRelativeInfo(comparison: Comparison, info: RelativeInfo): Comparison {
  if (!info.aa) return { ...comparison, relative: info };
  const results = comparison.results.map((r) =>
    r.verdict === 'regression' || r.verdict === 'improvement' || r.verdict === 'inconclusive'
      ? { ...r, verdict: 'unchanged' as Verdict, reason: `A/A: identical kernels on both sides (${info.headKernelHash.slice(0, 12)}); ${r.reason}` }
      : r,
  );
  const counts = Object.fromEntries(verdicts.map((v) => [v, results.filter((r) => r.verdict === v).length])) as Record<Verdict, number>;
  return { ...comparison, results, counts, relative: info };
}
