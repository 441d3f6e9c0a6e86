import { compare, emptyBaseline, gate, ratchet, type Gate } from '@ratchet/baseline';
import { renderJson, renderMarkdown, type MarkdownOptions } from '@ratchet/report';
import type { Baseline, Benchmark, Comparison, GitInfo, MeasureBudget, RunResult, Thresholds } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { baselineDeviceNote } from './device-match.js';
import { withHarnessNames } from './import/harness-names.js';
import { measureSuite, type MeasureOptions } from './measure.js';
import { runRecord } from './measurement-record.js';

export interface BenchOptions extends Omit<MeasureOptions, 'budget'> {
  backend: MeasureBackend;
  benchmarks: readonly Benchmark[];
  budget: MeasureBudget;
  git: GitInfo | null;
  /** ISO 8601; injectable so results are reproducible in tests. */
  createdAt?: string;
}

/** Measure a suite: the RunResult `ratchet bench` writes. */
export async function bench(options: BenchOptions): Promise<RunResult> {
  const { backend, benchmarks, budget, git, createdAt, ...measureOptions } = options;
  return runRecord(backend, budget, { git, ...(createdAt === undefined ? {} : { createdAt }), measurements: await measureSuite(backend, benchmarks, { budget, ...measureOptions }) });
}

/** A run judged: the comparison, its two renderings, the baseline it moves to, and whether it may pass. */
export interface Judgement {
  comparison: Comparison;
  markdown: string;
  json: string;
  next: ReturnType<typeof ratchet>;
  gate: Gate;
  /** One line when the baseline holds entries for other devices only (every benchmark is new here); else null. */
  deviceNote: string | null;
}

/** A comparison that moves no baseline (run --base, a harness's runs with a base), as a Judgement: rendered, gated, the baseline kept. */
export function keptJudgement(comparison: Comparison, baseline: Baseline | null, report?: Omit<MarkdownOptions, 'baseline'>): Judgement {
  return {
    comparison,
    markdown: renderMarkdown(comparison, { ...report, baseline: 'kept' }),
    json: renderJson(comparison),
    next: { baseline: baseline ?? emptyBaseline(), events: [], changed: false },
    gate: gate(comparison),
    deviceNote: null,
  };
}

/**
 * RunResult + baseline -> verdicts, report, next baseline. Pure. `looks`: how many times the run
 * judges (remeasureLooks when inconclusive benchmarks are measured again), each at alpha / looks.
 */
export function judge(
  result: RunResult,
  baseline: Baseline | null,
  thresholds: Thresholds,
  options: { time?: string; reportTitle?: string; report?: MarkdownOptions; looks?: number } = {},
): Judgement {
  const comparison = withHarnessNames(compare(result, baseline, thresholds, options.looks === undefined ? {} : { looks: options.looks }), result);
  const next = ratchet(baseline, result, comparison, {
    sha: result.git?.sha ?? null,
    time: options.time ?? new Date().toISOString(),
    ...(result.git ? { dirty: result.git.dirty } : {}),
  });
  return {
    comparison,
    markdown: renderMarkdown(comparison, { ...options.report, ...(options.reportTitle === undefined ? {} : { title: options.reportTitle }) }),
    json: renderJson(comparison),
    next,
    gate: gate(comparison),
    deviceNote: baselineDeviceNote(baseline, result.device.deviceKey),
  };
}
