// The run pipeline the CLI and any other tool use: measure (with the tuned variants), judge
// against the baseline, re-measure once what the data could not decide, confirm cross-run
// regressions against the baseline's own commit measured interleaved, ratchet, render, gate.
// No files are read or written here: inputs come in as values, outputs go back as values.
import { compare, emptyBaseline, ratchet, type RatchetStep } from '@ratchet/baseline';
import { renderJson, renderMarkdown, type MarkdownOptions } from '@ratchet/report';
import type {
  Baseline,
  Benchmark,
  BenchmarkComparison,
  Comparison,
  GitInfo,
  MeasureBudget,
  Measurement,
  RunResult,
  Thresholds,
  Tuning,
  Verdict,
} from '@ratchet/types';
import { RatchetError, verdicts } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { durationNote, estimateSuite } from './cost.js';
import { baselineDeviceNote } from './device-match.js';
import { gate, type Gate } from './gate.js';
import { checkIdenticalCode, withSkipped, type IdenticalCodeOptions } from './identical-code.js';
import { measureRelative, type RelativeInput, type RelativeOutcome } from './relative.js';
import { remeasureInconclusive, remeasureLooks } from './remeasure.js';
import { bench } from './run.js';
import { tunedVariants } from './tuning-file.js';

/** What the pipeline tells its caller as it goes (the CLI prints these). */
export type PipelineEvent =
  | { kind: 'note'; text: string }
  | { kind: 'progress'; id: string; index: number; total: number; samples: number; elapsedMs: number }
  | { kind: 'measured'; measurement: Measurement; index: number; total: number }
  | { kind: 'remeasure'; ids: string[] }
  | { kind: 'confirm'; ids: string[]; baseSha: string; available: boolean };

export interface PipelineInput {
  backend: MeasureBackend;
  benchmarks: readonly Benchmark[];
  budget: MeasureBudget;
  thresholds: Thresholds;
  baseline: Baseline | null;
  /** The tuning file's content: its variant per benchmark is used on its device. */
  tuning?: Tuning | null;
  git: GitInfo | null;
  /** Compute the next baseline (the caller writes it); off for pull requests. */
  ratchet: boolean;
  /** First seed of the shared input generator (peers use it too); random when absent. */
  seed?: number;
  createdAt?: string;
  now?: () => number;
  onEvent?: (event: PipelineEvent) => void;
  /** What the report takes from outside the comparison (trends from the run history, the dashboard's address). */
  report?: Omit<MarkdownOptions, 'baseline'>;
  /**
   * A backend running the code of commit `sha` (built on demand), to confirm a cross-run
   * regression by measuring both builds interleaved; null when that commit cannot be built.
   * Absent: cross-run regressions stay unconfirmed and are judged inconclusive.
   */
  baseAt?: (sha: string) => Promise<MeasureBackend | null>;
}

export interface PipelineOutcome {
  result: RunResult;
  comparison: Comparison;
  markdown: string;
  json: string;
  /** The baseline after this run and the history lines that record the step (none without `ratchet`). */
  next: RatchetStep;
  /** Benchmarks measured a second time because the first judgement was inconclusive. */
  remeasured: string[];
  gate: Gate;
}

function tally(results: readonly BenchmarkComparison[]): Record<Verdict, number> {
  return Object.fromEntries(verdicts.map((v) => [v, results.filter((r) => r.verdict === v).length])) as Record<Verdict, number>;
}

function withResults(comparison: Comparison, results: BenchmarkComparison[]): Comparison {
  return { ...comparison, results, counts: tally(results) };
}

/** A cross-run regression that could not be confirmed: not a verdict that may fail a build. */
function unconfirmed(result: BenchmarkComparison, why: string): BenchmarkComparison {
  return { ...result, verdict: 'inconclusive', reason: `${result.reason}; not confirmed: ${why}` };
}

/**
 * Cross-run regressions (this run against samples stored from another run, another day) rest on
 * two sample sets that never met: on a loaded or drifting machine they move by tens of percent.
 * Each is measured again interleaved against the build of the commit its baseline entry came
 * from; that verdict (at the same-session threshold) replaces the cross-run one. Without that
 * build the regression is inconclusive: it cannot fail the build.
 */
async function confirmRegressions(input: PipelineInput, result: RunResult, comparison: Comparison): Promise<Comparison> {
  const entries = input.baseline?.devices[result.device.deviceKey]?.benchmarks ?? {};
  const regressions = comparison.results.filter((r) => r.verdict === 'regression');
  if (regressions.length === 0) return comparison;
  const bySha = new Map<string, BenchmarkComparison[]>();
  const replaced = new Map<string, BenchmarkComparison>();
  for (const r of regressions) {
    const sha = entries[r.id]?.sha ?? null;
    if (sha === null || !input.baseAt) {
      replaced.set(r.id, unconfirmed(r, sha === null ? 'the baseline entry records no commit to measure beside this one' : 'no base build to measure beside this one (run on a git checkout)'));
      continue;
    }
    bySha.set(sha, [...(bySha.get(sha) ?? []), r]);
  }
  for (const [sha, group] of bySha) {
    const base = await input.baseAt!(sha);
    input.onEvent?.({ kind: 'confirm', ids: group.map((r) => r.id), baseSha: sha, available: base !== null });
    if (!base) {
      for (const r of group) replaced.set(r.id, unconfirmed(r, `commit ${sha.slice(0, 12)} of its baseline entry could not be built here`));
      continue;
    }
    const ids = new Set(group.map((r) => r.id));
    const benchmarks = result.measurements.filter((m) => ids.has(m.id)).map((m) => m.benchmark);
    const relative = await measureRelative({
      head: input.backend, base, baseInfo: { baseRef: sha, baseSha: sha }, benchmarks, budget: input.budget, thresholds: input.thresholds,
      git: input.git, ...(input.now ? { now: input.now } : {}),
    });
    for (const r of relative.comparison.results) {
      const crossRun = group.find((g) => g.id === r.id)!;
      replaced.set(r.id, {
        ...r,
        baseline: crossRun.baseline,
        reason: `${r.reason} (interleaved against ${sha.slice(0, 12)}, the baseline's commit; across runs: ${crossRun.reason})`,
      });
    }
  }
  return withResults(comparison, comparison.results.map((r) => replaced.get(r.id) ?? r));
}

/** What measuring alone needs (`ratchet bench`, and the pipeline's first step). */
export type MeasureInput = Pick<PipelineInput, 'backend' | 'benchmarks' | 'budget' | 'tuning' | 'git' | 'seed' | 'createdAt' | 'now' | 'onEvent'>;

/**
 * The suite measured with the tuned variant of each benchmark on this device: a RunResult. The
 * least cost of each benchmark is estimated from its work first: one past the limit on a call is
 * refused before anything runs, and a long run says how long it will take at least.
 */
export async function measureRun(input: MeasureInput): Promise<RunResult> {
  const { onEvent } = input;
  if (input.benchmarks.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', 'no benchmarks to measure: an empty run would pass having measured nothing');
  const cost = await estimateSuite(input.backend, input.benchmarks, input.budget);
  const long = durationNote(input.benchmarks.length, cost.totalMs);
  if (long) onEvent?.({ kind: 'note', text: long });
  const tuned = tunedVariants(input.tuning ?? null, input.backend.device);
  if (tuned.note) onEvent?.({ kind: 'note', text: tuned.note });
  return bench({
    backend: input.backend, benchmarks: input.benchmarks, budget: input.budget, git: input.git, variantFor: tuned.variantFor,
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    ...(input.createdAt === undefined ? {} : { createdAt: input.createdAt }),
    ...(input.now ? { now: input.now } : {}),
    onProgress: (p) => onEvent?.({ kind: 'progress', ...p }),
    onMeasured: (measurement, index, total) => onEvent?.({ kind: 'measured', measurement, index, total }),
  });
}

/** measure -> judge -> (re-measure) -> confirm -> ratchet -> render -> gate. */
export async function runPipeline(input: PipelineInput): Promise<PipelineOutcome> {
  const { backend, budget, thresholds, baseline, onEvent } = input;
  const elsewhere = baselineDeviceNote(baseline, backend.device.deviceKey);
  if (elsewhere) onEvent?.({ kind: 'note', text: elsewhere });
  let result = await measureRun(input);
  // Two looks at most (the first judgement, the one after a re-measure): each spends alpha / 2.
  let comparison = compare(result, baseline, thresholds, { looks: remeasureLooks });
  let remeasured: string[] = [];
  // Inconclusive means "not enough evidence": gather more once, then judge for good.
  if (comparison.counts.inconclusive > 0) {
    const { variantFor } = tunedVariants(input.tuning ?? null, backend.device);
    const again = await remeasureInconclusive(result, comparison, backend, budget, variantFor);
    onEvent?.({ kind: 'remeasure', ids: again.remeasured });
    ({ result, remeasured } = again);
    comparison = compare(result, baseline, thresholds, { looks: remeasureLooks });
  }
  comparison = await confirmRegressions(input, result, comparison);
  const next = input.ratchet
    ? ratchet(baseline, result, comparison, { sha: result.git?.sha ?? null, time: new Date().toISOString() })
    : { baseline: baseline ?? emptyBaseline(), events: [], changed: false };
  const markdown = renderMarkdown(comparison, { ...input.report, baseline: input.ratchet ? 'updated' : 'kept' });
  return { result, comparison, markdown, json: renderJson(comparison), next, remeasured, gate: gate(comparison) };
}

/**
 * Relative mode (`run --base`): head against a base build, interleaved, rendered and gated. What
 * runs identical code on both sides is not measured (identical-code.ts: `identical.measureAllBecause`
 * measures it all the same). The committed baseline is not touched.
 */
export async function runRelativePipeline(
  input: RelativeInput & { report?: Omit<MarkdownOptions, 'baseline'>; identical?: IdenticalCodeOptions },
): Promise<RelativeOutcome & { markdown: string; json: string; gate: Gate }> {
  const now = input.now ?? (() => performance.now());
  const identical = await checkIdenticalCode(input.head, input.base, input.benchmarks, { ...input.identical, now });
  await estimateSuite(input.head, identical.measure, input.budget);
  const started = now();
  const outcome = await measureRelative({ ...input, benchmarks: identical.measure });
  const comparison = withSkipped(outcome.comparison, identical, input.benchmarks, identical.measure.length > 0 ? now() - started : 0);
  const markdown = renderMarkdown(comparison, { ...input.report, baseline: 'kept' });
  return { ...outcome, comparison, markdown, json: renderJson(comparison), gate: gate(comparison) };
}
