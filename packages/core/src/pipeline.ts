// The run pipeline the CLI and any other tool use: measure (with the tuned variants), judge
// against the baseline, re-measure once what the data could not decide, confirm cross-run changes
// past the threshold against the baseline's own commit measured interleaved (confirm.ts),
// ratchet, render, gate.
// No files are read or written here: inputs come in as values, outputs go back as values.
import { compare, emptyBaseline, gate, ratchet, storedWithoutCommitNote, type Gate, type RatchetStep } from '@ratchet/baseline';
import { renderJson, renderMarkdown, type MarkdownOptions } from '@ratchet/report';
import type { Baseline, Benchmark, Comparison, GitInfo, MeasureBudget, Measurement, RunResult, Thresholds, Tuning } from '@ratchet/types';
import { RatchetError } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { confirmChanges, crossRunRule } from './confirm.js';
import { durationNote, estimateSuite } from './cost.js';
import { baselineDeviceNote } from './device-match.js';
import { checkIdenticalCode, withSkipped, type IdenticalCodeOptions } from './identical-code.js';
import { measureRelative, type RelativeInput, type RelativeOutcome } from './relative.js';
import { remeasureInconclusive, remeasureLooks, worthRemeasuring } from './remeasure.js';
import { aimFor, type SensitivityAim } from './sensitivity-aim.js';
import { bench, keptJudgement } from './run.js';
import { scopeToShard, type ShardScope } from './shard.js';
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
   * A backend running the code of commit `sha` (built on demand), to confirm a cross-run change
   * past the threshold by measuring both builds interleaved (confirm.ts); null when that commit
   * cannot be built. Absent, or null: such changes fall to the unconfirmable rule, and fail only
   * far past any drift between runs.
   */
  baseAt?: (sha: string) => Promise<MeasureBackend | null>;
  /** One shard of the suite (`--shard`, shard.ts): judged in the family of the whole suite. */
  shard?: ShardScope;
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

/** What measuring alone needs (`ratchet bench`, and the pipeline's first step). */
export type MeasureInput = Pick<PipelineInput, 'backend' | 'benchmarks' | 'budget' | 'tuning' | 'git' | 'seed' | 'createdAt' | 'now' | 'onEvent' | 'shard'> & {
  /** What each measurement will be compared to catch (the pipeline's; `bench` judges nothing). */
  aim?: SensitivityAim;
};

/**
 * The suite measured with the tuned variant of each benchmark on this device: a RunResult. The
 * least cost of each benchmark is estimated from its work first: one past the limit on a call is
 * refused before anything runs, and a long run says how long it will take at least. A shard may
 * be given nothing (more shards than benchmarks, or one costly benchmark alone): it measures
 * nothing, and its empty run is what the merge expects of it.
 */
export async function measureRun(input: MeasureInput): Promise<RunResult> {
  const { onEvent } = input;
  if (input.shard && input.benchmarks.length === 0) {
    return bench({ backend: input.backend, benchmarks: [], budget: input.budget, git: input.git, ...(input.createdAt ? { createdAt: input.createdAt } : {}) });
  }
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
    ...(input.aim ? { aim: input.aim } : {}),
    onProgress: (p) => onEvent?.({ kind: 'progress', ...p }),
    onMeasured: (measurement, index, total) => onEvent?.({ kind: 'measured', measurement, index, total }),
  });
}

/** measure -> judge -> (re-measure) -> confirm what is past the threshold -> ratchet -> render -> gate. */
export async function runPipeline(input: PipelineInput): Promise<PipelineOutcome> {
  const { backend, budget, thresholds, baseline, onEvent } = input;
  const elsewhere = baselineDeviceNote(baseline, backend.device.deviceKey);
  if (elsewhere) onEvent?.({ kind: 'note', text: elsewhere });
  // Each side sampled for its cross-run estimate to land past the threshold at twice it (then confirmed interleaved).
  const aim = aimFor(thresholds, thresholds.regressionPct, input.shard?.familySize ?? input.benchmarks.length, remeasureLooks, thresholds.runToRunPct);
  let result = await measureRun({ ...input, aim });
  // Two looks at most (the first judgement, the one after a re-measure): each spends alpha / 2.
  const judged = { looks: remeasureLooks, crossRun: crossRunRule(input.baseAt !== undefined), ...(input.shard ? { familySize: input.shard.familySize } : {}) };
  let comparison = compare(result, baseline, thresholds, judged);
  let remeasured: string[] = [];
  // Inconclusive means "not enough evidence": gather more once, where more samples can help, then judge for good.
  const undecided = worthRemeasuring(comparison, result, baseline, thresholds);
  if (undecided.results.length > 0) {
    const { variantFor } = tunedVariants(input.tuning ?? null, backend.device);
    const again = await remeasureInconclusive(result, undecided, backend, budget, variantFor, aim);
    onEvent?.({ kind: 'remeasure', ids: again.remeasured });
    ({ result, remeasured } = again);
    comparison = compare(result, baseline, thresholds, judged);
  }
  comparison = await confirmChanges(input, result, comparison);
  if (input.shard) comparison = scopeToShard(comparison, input.shard);
  const at = { sha: result.git?.sha ?? null, time: new Date().toISOString(), ...(result.git ? { dirty: result.git.dirty } : {}) };
  const next = input.ratchet ? ratchet(baseline, result, comparison, at) : { baseline: baseline ?? emptyBaseline(), events: [], changed: false };
  const uncommitted = storedWithoutCommitNote(next, at);
  if (uncommitted) onEvent?.({ kind: 'note', text: uncommitted });
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
  const { markdown, json, gate: passes } = keptJudgement(comparison, null, input.report);
  return { ...outcome, comparison, markdown, json, gate: passes };
}
