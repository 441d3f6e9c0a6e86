// `ratchet merge`: the runs of one commit on several shards and GPU kinds joined into one
// comparison per device key and one set of files for the pull request. Refuses what would make a
// verdict of parts that do not belong together: another commit, build, config, suite or judge
// (base commit or baseline), a shard twice or missing, a benchmark measured by two shards.
import { createHash } from 'node:crypto';
import { verdictOrder, withSensitivity } from '@ratchet/baseline';
import {
  RatchetError,
  deviceKind,
  mergedSchemaVersion,
  type BenchmarkComparison,
  type Comparison,
  type MergedComparisons,
  type MergedShard,
  type RelativeCost,
  type RunResult,
  type ShardStamp,
} from '@ratchet/types';

/** One shard's files as `ratchet merge` read them: its comparison and, to move a baseline, its results. */
export interface ShardFiles {
  /** The comparison file, named in every refusal. */
  file: string;
  comparison: Comparison;
  run?: RunResult;
}

export interface MergeOutcome {
  merged: MergedComparisons;
  /** Per device key, in the order of `merged.comparisons`: the shards' results joined, when every shard's were given. */
  runs: RunResult[] | null;
}

/** `sha256:<hex>` of a suite's ids, sorted, one per line: what every shard of it records (ShardStamp.suite). */
export function suiteHash(ids: readonly string[]): string {
  return `sha256:${createHash('sha256').update([...ids].sort().join('\n')).digest('hex')}`;
}

function refuse(file: string, field: string, message: string): never {
  throw new RatchetError('ERR_RATCHET_INVALID_RESULTS', `${file}: ${field}: ${message}`, { file, field });
}

/** What every shard must agree on, with the words a refusal uses for it. */
const agreed: readonly [keyof ShardStamp, string][] = [
  ['suite', 'another suite'],
  ['suiteSize', 'another suite'],
  ['config', 'another ratchet.config.json'],
  ['build', 'another build of the addon'],
  ['against', 'judged against another base commit or baseline'],
];

function stampOf(shard: ShardFiles): ShardStamp {
  const stamp = shard.comparison.shard;
  if (!stamp) refuse(shard.file, 'shard', 'no shard stamp: only comparisons written by ratchet run (this version or later) can be merged; run the suite again with it');
  if (shard.run && JSON.stringify(shard.run.shard ?? null) !== JSON.stringify(stamp)) {
    refuse(shard.file, 'shard', `its results file says ${JSON.stringify(shard.run.shard ?? null)}: not the run this comparison judged`);
  }
  return stamp;
}

/** Every shard of the same commit, suite, config, build and judge as the first. */
function checkAgreement(shards: readonly ShardFiles[]): void {
  const [first, ...rest] = shards;
  const firstStamp = stampOf(first!);
  const commit = (s: ShardFiles) => s.comparison.git?.sha ?? null;
  for (const shard of rest) {
    const stamp = stampOf(shard);
    if (commit(shard) !== commit(first!)) refuse(shard.file, 'git.sha', `commit ${commit(shard)} is not ${first!.file}'s ${commit(first!)}: shards of one merge measure one commit`);
    for (const [key, what] of agreed) {
      if (stamp[key] !== firstStamp[key]) refuse(shard.file, `shard.${key}`, `${String(stamp[key])} differs from ${first!.file}'s ${String(firstStamp[key])}: ${what}, not merged`);
    }
  }
}

/** The shards of one device key: each index of 1..count once, no benchmark in two, together the suite. */
function checkDeviceShards(deviceKey: string, shards: readonly ShardFiles[]): void {
  const count = stampOf(shards[0]!).count;
  const byIndex = new Map<number, string>();
  for (const shard of shards) {
    const stamp = stampOf(shard);
    if (stamp.count !== count) refuse(shard.file, 'shard.count', `${deviceKey} was cut into ${count} shards in ${shards[0]!.file}, ${stamp.count} here`);
    const twice = byIndex.get(stamp.index);
    if (twice) refuse(shard.file, 'shard.index', `shard ${stamp.index}/${count} of ${deviceKey} is given twice (also ${twice})`);
    byIndex.set(stamp.index, shard.file);
  }
  const absent = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (absent.length > 0) refuse(shards[0]!.file, 'shard', `${deviceKey}: shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${count}`).join(', ')} missing: a merge joins every shard of a device`);
  const seen = new Map<string, string>();
  for (const shard of shards) {
    for (const result of shard.comparison.results) {
      if (result.verdict === 'missing') continue;
      const other = seen.get(result.id);
      if (other) refuse(shard.file, 'results', `${result.id} was judged by two shards of ${deviceKey} (also ${other})`);
      seen.set(result.id, shard.file);
    }
  }
  const stamp = stampOf(shards[0]!);
  if (seen.size !== stamp.suiteSize || suiteHash([...seen.keys()]) !== stamp.suite) {
    refuse(shards[0]!.file, 'shard.suite', `the shards of ${deviceKey} judged ${seen.size} benchmarks that are not the suite they were cut from (${stamp.suiteSize} benchmarks, ${stamp.suite.slice(0, 19)}...)`);
  }
}

function summedCost(costs: readonly (RelativeCost | undefined)[]): RelativeCost | undefined {
  const present = costs.filter((cost): cost is RelativeCost => cost !== undefined);
  if (present.length === 0) return undefined;
  return {
    benchmarks: present.reduce((sum, cost) => sum + cost.benchmarks, 0),
    skipped: present.reduce((sum, cost) => sum + cost.skipped, 0),
    measureMs: present.reduce((sum, cost) => sum + cost.measureMs, 0),
    identityMs: present.reduce((sum, cost) => sum + cost.identityMs, 0),
    notes: [...new Set(present.flatMap((cost) => cost.notes))],
  };
}

/** The shards of one device as one comparison: their results together, counted and summarised again. */
function joinedComparison(shards: readonly ShardFiles[]): Comparison {
  const first = shards[0]!.comparison;
  const results: BenchmarkComparison[] = shards.flatMap((shard) => shard.comparison.results);
  results.sort((a, b) => verdictOrder.indexOf(a.verdict) - verdictOrder.indexOf(b.verdict) || a.id.localeCompare(b.id));
  const counts = Object.fromEntries(Object.keys(first.counts).map((verdict) => [verdict, results.filter((r) => r.verdict === verdict).length])) as Comparison['counts'];
  const { shard: _shard, ...rest } = first;
  const cost = summedCost(shards.map((shard) => shard.comparison.relative?.cost));
  return {
    ...rest,
    createdAt: shards.map((shard) => shard.comparison.createdAt).sort()[0]!,
    device: deviceKind(first.device),
    results,
    counts,
    ...(first.relative ? { relative: { ...first.relative, ...(cost ? { cost } : {}) } } : {}),
    ...(first.errorControl ? { errorControl: { ...first.errorControl, benchmarks: Math.max(first.errorControl.benchmarks, stampOf(shards[0]!).suiteSize) } } : {}),
    ...withSensitivity(results, first.thresholds),
  };
}

/** The shards' results of one device as one RunResult: what the ratchet step moves the baseline with. */
function joinedRun(shards: readonly ShardFiles[]): RunResult {
  const first = shards[0]!.run!;
  const { shard: _shard, ...rest } = first;
  return {
    ...rest,
    createdAt: shards.map((shard) => shard.run!.createdAt).sort()[0]!,
    device: deviceKind(first.device),
    measurements: shards.flatMap((shard) => shard.run!.measurements),
  };
}

/**
 * Joins the shards of one commit: per device key, every shard once, into one comparison (Holm's
 * family was the whole suite in each shard already: the levels stand). Refuses (exit 2) shards
 * that do not belong together, naming the file and what differs.
 */
export function mergeShards(shards: readonly ShardFiles[]): MergeOutcome {
  if (shards.length === 0) throw new RatchetError('ERR_RATCHET_USAGE', 'ratchet merge: name the results of each shard (their directories, or comparison files)');
  checkAgreement(shards);
  const byDevice = new Map<string, ShardFiles[]>();
  for (const shard of shards) {
    const key = shard.comparison.device.deviceKey;
    byDevice.set(key, [...(byDevice.get(key) ?? []), shard]);
  }
  const keys = [...byDevice.keys()].sort();
  const groups = keys.map((key) => byDevice.get(key)!.sort((a, b) => stampOf(a).index - stampOf(b).index));
  groups.forEach((group, i) => checkDeviceShards(keys[i]!, group));
  const listed: MergedShard[] = groups.flat().map((shard) => {
    const stamp = stampOf(shard);
    const { device } = shard.comparison;
    return {
      deviceKey: device.deviceKey, index: stamp.index, count: stamp.count, deviceName: device.name, uuid: device.uuid ?? null, file: shard.file,
      benchmarks: shard.comparison.results.filter((r) => r.verdict !== 'missing').length,
    };
  });
  const comparisons = groups.map(joinedComparison);
  const merged: MergedComparisons = {
    schemaVersion: mergedSchemaVersion,
    createdAt: comparisons.map((c) => c.createdAt).sort()[0]!,
    git: shards[0]!.comparison.git,
    comparisons,
    shards: listed,
  };
  const complete = shards.every((shard) => shard.run !== undefined);
  return { merged, runs: complete ? groups.map(joinedRun) : null };
}
