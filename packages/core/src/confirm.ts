// Cross-run changes confirmed against the baseline's own commit. A comparison against samples
// stored from another run rests on two sample sets that never met: on a loaded or drifting machine
// they move by tens of percent. So a cross-run change whose estimate is past the threshold (a
// regression, or an inconclusive verdict the data could not settle) is measured again, interleaved
// against a build of the commit its baseline entry came from, and that verdict (at the
// same-session threshold) replaces the cross-run one. Where no such build can be had, the
// unconfirmable rule of @ratchet/baseline decides (cross-run.ts): a change fails only far past
// any drift between the runs.
import { compare, withSensitivity, type CrossRun } from '@ratchet/baseline';
import type { BaselineEntry, BenchmarkComparison, Comparison, RunResult, Sensitivity } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import type { PipelineInput } from './pipeline.js';
import { measureRelative } from './relative.js';
import { remeasureLooks } from './remeasure.js';

const noCommit = 'the baseline entry records no commit to measure beside this one';
const noCheckout = 'no base build to measure beside this one, outside a git checkout';

/** How each entry's cross-run comparison reaches a regression in a pipeline that can (or cannot) build a commit. */
export function crossRunRule(canBuild: boolean, failed: ReadonlySet<string> = new Set()): (entry: BaselineEntry) => CrossRun {
  return (entry) => {
    if (entry.sha === null) return { rule: 'unconfirmable', why: noCommit };
    if (!canBuild) return { rule: 'unconfirmable', why: noCheckout };
    if (failed.has(entry.sha)) return { rule: 'unconfirmable', why: `commit ${entry.sha.slice(0, 12)} of its baseline entry could not be built here` };
    return { rule: 'confirmation' };
  };
}

/** A cross-run result to measure again against its entry's commit: its estimate is past the threshold, and it can be. */
export function needsConfirmation(result: BenchmarkComparison, regressionPct: number): boolean {
  if (result.sensitivity?.rule !== 'confirmation') return false;
  return result.verdict === 'regression' || (result.verdict === 'inconclusive' && result.changePct !== null && result.changePct > regressionPct);
}

/** The larger of two minimum detectable changes (none if either is none): a slowdown must pass both stages. */
function bothStages(crossRun: Sensitivity | undefined, confirmed: Sensitivity | undefined): Sensitivity {
  const stages = [crossRun?.mdcPct, confirmed?.mdcPct];
  return { mdcPct: stages.some((mdc) => mdc === null || mdc === undefined) ? null : Math.max(...(stages as number[])), rule: 'confirmation' };
}

function withResults(comparison: Comparison, results: BenchmarkComparison[]): Comparison {
  const counts = Object.fromEntries(Object.keys(comparison.counts).map((v) => [v, results.filter((r) => r.verdict === v).length])) as Comparison['counts'];
  return { ...comparison, results, counts, ...withSensitivity(results, comparison.thresholds) };
}

/**
 * Every cross-run change past the threshold measured again, interleaved against its entry's
 * commit; the whole set judged as one family (Holm over the changes confirmed). A commit that
 * cannot be built leaves its changes to the unconfirmable rule. Returns the comparison with
 * those results replaced.
 */
export async function confirmChanges(input: PipelineInput, result: RunResult, comparison: Comparison): Promise<Comparison> {
  const entries = input.baseline?.devices[result.device.deviceKey]?.benchmarks ?? {};
  const candidates = comparison.results.filter((r) => needsConfirmation(r, input.thresholds.regressionPct));
  if (candidates.length === 0) return comparison;
  const bySha = new Map<string, BenchmarkComparison[]>();
  for (const r of candidates) {
    const sha = entries[r.id]!.sha!;
    bySha.set(sha, [...(bySha.get(sha) ?? []), r]);
  }
  const replaced = new Map<string, BenchmarkComparison>();
  const failed = new Set<string>();
  for (const [sha, group] of bySha) {
    const base = await input.baseAt!(sha);
    input.onEvent?.({ kind: 'confirm', ids: group.map((r) => r.id), baseSha: sha, available: base !== null });
    // A shard cannot know the other shards' changes: its confirmations count the whole suite as the family, never fewer than the run would.
    if (base) for (const r of await measuredAgainst(input, result, base, sha, group, Math.max(candidates.length, input.shard?.familySize ?? 0))) replaced.set(r.id, r);
    else failed.add(sha);
  }
  if (failed.size > 0) {
    // Judged again with those commits unconfirmable: the same evidence, the stricter rule.
    const again = compare(result, input.baseline, input.thresholds, { looks: remeasureLooks, crossRun: crossRunRule(true, failed), ...(input.shard ? { familySize: input.shard.familySize } : {}) });
    for (const r of again.results) if (candidates.some((c) => c.id === r.id) && failed.has(entries[r.id]!.sha!)) replaced.set(r.id, r);
  }
  return withResults(comparison, comparison.results.map((r) => replaced.get(r.id) ?? r));
}

/** One commit's group measured interleaved against its build, judged in the family of every change confirmed. */
async function measuredAgainst(input: PipelineInput, result: RunResult, base: MeasureBackend, sha: string, group: BenchmarkComparison[], family: number): Promise<BenchmarkComparison[]> {
  const entries = input.baseline!.devices[result.device.deviceKey]!.benchmarks;
  const ids = new Set(group.map((r) => r.id));
  const benchmarks = result.measurements.filter((m) => ids.has(m.id)).map((m) => m.benchmark);
  const relative = await measureRelative({
    head: input.backend, base, baseInfo: { baseRef: sha, baseSha: sha }, benchmarks, budget: input.budget, thresholds: input.thresholds,
    git: input.git, familySize: family, ...(input.now ? { now: input.now } : {}),
  });
  return relative.comparison.results.map((r) => {
    const crossRun = group.find((g) => g.id === r.id)!;
    const dirty = entries[r.id]?.dirty ? ', stored from uncommitted changes on top of it' : '';
    return {
      ...r,
      baseline: crossRun.baseline,
      reason: `${r.reason} (interleaved against ${sha.slice(0, 12)}, the baseline's commit${dirty}; across runs, ${crossRun.verdict}: ${crossRun.reason})`,
      sensitivity: bothStages(crossRun.sensitivity, r.sensitivity),
    };
  });
}
