// `--shard i/n`: a deterministic slice of the suite, balanced by expected cost, that keeps its
// benchmarks when others come and go. Every shard job of a matrix computes the same partition on
// its own, from the suite and the costs it reads from the same commit; nothing is exchanged.
//
// The partition is rendezvous hashing with bounded loads (Thaler & Ravishankar's highest random
// weight; the bound of Mirrokni, Thorup & Zadimoghaddam, "Consistent Hashing with Bounded Loads",
// 2018): each benchmark ranks the n shards by a hash of (its id, the shard), and in a fixed order
// (a hash of its id: independent of which others are there) takes the first shard in its ranking
// whose expected cost stays within (1 + slack) x the mean; where none has room, the least loaded.
// Plain rendezvous hashing moves nothing but the benchmark added or removed, but balances only
// counts, and only on average: a costly benchmark and two cheap ones may share a shard while
// another idles. The bound makes a benchmark move only where its shard would pass it.
import { createHash } from 'node:crypto';
import { withSensitivity } from '@ratchet/baseline';
import { RatchetError, benchmarkId, type BaselineEntry, type Benchmark, type Comparison, type MeasureBudget } from '@ratchet/types';
import type { MeasureBackend } from './backend.js';
import { estimateSuite } from './cost.js';

/** `--shard i/n`: shard `index` (1-based, as Playwright's and Jest's) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Most shards a suite is cut into: past that a matrix is a fleet of its own (GitHub's matrix takes 256 jobs). */
export const maxShards = 256;

/**
 * How far a shard's expected cost may pass the mean before a benchmark goes to its next shard.
 * 0.1, measured in shard.test.ts on suites whose costs spread 40x: 200 benchmarks within 1.1x the
 * mean on 2-16 shards, and one benchmark added or removed moved under 2% of the others on
 * average (at most 6%).
 */
export const shardSlack = 0.1;

export function parseShard(text: string): ShardSpec {
  const match = /^(\d{1,3})\/(\d{1,3})$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!(count >= 1 && count <= maxShards && index >= 1 && index <= count)) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--shard: expected i/n with 1 <= i <= n <= ${maxShards} (e.g. 2/4: the second of four) but received ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/** A 48-bit number from sha256 of `text`: uniform, the same on every machine. */
function hash48(text: string): number {
  return createHash('sha256').update(text).digest().readUIntBE(0, 6);
}

/** One benchmark to place: its id and what measuring it is expected to cost, ms. */
export interface ShardCost {
  id: string;
  costMs: number;
}

/**
 * The shard of each benchmark (0-based), every benchmark in exactly one. Each shard's expected
 * cost is at most max((1 + shardSlack) x mean, mean + the costliest benchmark): a benchmark goes
 * past the first bound only to the least loaded shard, which holds at most the mean before it.
 */
export function assignShards(items: readonly ShardCost[], count: number): Map<string, number> {
  const total = items.reduce((sum, item) => sum + item.costMs, 0);
  const capacity = ((1 + shardSlack) * total) / count;
  const loads = new Array<number>(count).fill(0);
  const order = items.map((item) => ({ item, key: hash48(item.id) })).sort((a, b) => a.key - b.key || a.item.id.localeCompare(b.item.id));
  const assigned = new Map<string, number>();
  for (const { item } of order) {
    const ranking = loads.map((_, shard) => ({ shard, weight: hash48(`${item.id}\n${shard}`) })).sort((a, b) => b.weight - a.weight || a.shard - b.shard);
    const fits = ranking.find(({ shard }) => loads[shard]! + item.costMs <= capacity);
    const shard = fits ? fits.shard : ranking.reduce((least, next) => (loads[next.shard]! < loads[least.shard]! ? next : least)).shard;
    loads[shard]! += item.costMs;
    assigned.set(item.id, shard);
  }
  return assigned;
}

/**
 * What measuring a benchmark is expected to cost, ms. From its baseline entry on this device: its
 * samples' time, (samples + warm-up) x median, within the budget's time bounds (the stopping rule
 * stops there). Without one (or with an imported figure that has no summary): the least cost its
 * work allows (cost.ts), within the same bounds.
 */
export function expectedCostMs(entry: Pick<BaselineEntry, 'summary'> | undefined, leastMs: number | undefined, budget: Pick<MeasureBudget, 'warmup' | 'minTimeMs' | 'maxTimeMs'>): number {
  const bounded = (ms: number) => Math.min(Math.max(ms, budget.minTimeMs), budget.maxTimeMs);
  if (entry?.summary) return bounded((entry.summary.n + budget.warmup) * entry.summary.median);
  return bounded(leastMs ?? budget.minTimeMs);
}

/** The benchmarks of one shard, in suite order, and what each benchmark of the suite was expected to cost. */
export interface ShardSlice {
  spec: ShardSpec;
  benchmarks: Benchmark[];
  /** Benchmarks of the suite cut into shards (the family each shard judges in). */
  suiteIds: string[];
  costs: ShardCost[];
  /** Expected cost of each shard, ms, in shard order. */
  loadsMs: number[];
}

/**
 * Shard `spec` of `suite` on `backend`'s device: costs from `entries` (the baseline's entries of
 * this device) where they have one, else from the work of a session opened and closed again.
 */
export async function sliceShard(
  suite: readonly Benchmark[], spec: ShardSpec, entries: Readonly<Record<string, BaselineEntry>>, backend: MeasureBackend, budget: MeasureBudget,
): Promise<ShardSlice> {
  const unknown = suite.filter((benchmark) => !entries[benchmarkId(benchmark)]);
  const least = new Map(unknown.length > 0 ? (await estimateSuite(backend, unknown, budget)).estimates.map((e) => [e.id, e.benchmarkMs]) : []);
  const costs = suite.map((benchmark) => {
    const id = benchmarkId(benchmark);
    return { id, costMs: expectedCostMs(entries[id], least.get(id), budget) };
  });
  const assigned = assignShards(costs, spec.count);
  const loadsMs = new Array<number>(spec.count).fill(0);
  for (const cost of costs) loadsMs[assigned.get(cost.id)!]! += cost.costMs;
  return {
    spec,
    benchmarks: suite.filter((benchmark) => assigned.get(benchmarkId(benchmark)) === spec.index - 1),
    suiteIds: costs.map((cost) => cost.id),
    costs,
    loadsMs,
  };
}

/**
 * How one shard's run is judged. Each benchmark at the level Holm gives it in the whole suite,
 * the other shards' benchmarks counted as unchanged (p = 1): never looser than the run of the
 * whole suite, and a change a shard calls at its level the whole suite's Holm calls too, so the
 * shards together keep the run's false-alarm rate at alpha. Baseline entries that no shard
 * measures (gone from the suite) are reported missing by shard 1 alone.
 */
export interface ShardScope {
  /** Benchmarks in the whole suite: the family Holm spreads alpha over. */
  familySize: number;
  /** The ids of the whole suite: entries of another shard are not missing here. */
  suiteIds: ReadonlySet<string>;
  /** Whether this shard reports the entries gone from the suite (shard 1 does). */
  reportsMissing: boolean;
}

export function shardScope(slice: ShardSlice): ShardScope {
  return { familySize: slice.suiteIds.length, suiteIds: new Set(slice.suiteIds), reportsMissing: slice.spec.index === 1 };
}

/** A shard's comparison without the `missing` of entries it does not answer for, counted again. */
export function scopeToShard(comparison: Comparison, scope: ShardScope): Comparison {
  const results = comparison.results.filter((r) => r.verdict !== 'missing' || (scope.reportsMissing && !scope.suiteIds.has(r.id)));
  if (results.length === comparison.results.length) return comparison;
  const counts = Object.fromEntries(Object.keys(comparison.counts).map((verdict) => [verdict, results.filter((r) => r.verdict === verdict).length])) as Comparison['counts'];
  return { ...comparison, results, counts, ...withSensitivity(results, comparison.thresholds) };
}
