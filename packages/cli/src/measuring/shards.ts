// `--shard i/n` in the CLI: the slice a run measures (core's shard.ts), and the stamp every run
// writes into its results and comparison so `ratchet merge` can tell which runs belong together.
import { createHash } from 'node:crypto';
import { formatDuration, parseShard, shardScope, sliceShard, suiteHash, type MeasureBackend, type ShardScope, type ShardSlice } from '@ratchet/core';
import { readBaseline, readBytesSyncOrNone } from '@ratchet/files';
import { buildInfo, nativeAddonPath } from '@ratchet/native';
import { renderJson } from '@ratchet/report';
import { benchmarkId, type Benchmark, type Comparison, type MeasureBudget, type RunResult, type ShardStamp } from '@ratchet/types';
import type { CommandContext } from '../context.js';

/** The shard a run measures: its slice of the suite and how it is judged. */
export interface PlannedShard {
  slice: ShardSlice;
  scope: ShardScope;
  /** One line for the terminal: which shard, how many benchmarks, their expected cost. */
  note: string;
}

/**
 * Shard `text` (`i/n`) of `suite` on `backend`'s device: the committed baseline's figures of this
 * device where it has them (read here, before any measuring), the work estimate elsewhere.
 */
export async function planShard(text: string, suite: readonly Benchmark[], backend: MeasureBackend, budget: MeasureBudget, context: CommandContext): Promise<PlannedShard> {
  const spec = parseShard(text);
  const baseline = await readBaseline(context.loaded.config.paths.baseline);
  const entries = baseline?.devices[backend.device.deviceKey]?.benchmarks ?? {};
  const slice = await sliceShard(suite, spec, entries, backend, budget);
  const known = slice.suiteIds.filter((id) => entries[id]).length;
  const expected = slice.loadsMs[spec.index - 1]!;
  const total = slice.loadsMs.reduce((sum, ms) => sum + ms, 0);
  const note = `shard ${spec.index}/${spec.count}: ${slice.benchmarks.length} of ${suite.length} benchmarks, expected to cost ${formatDuration(expected)} of ${formatDuration(total)} (costs from the baseline for ${known}, from the work of each call for ${suite.length - known})`;
  return { slice, scope: shardScope(slice), note };
}

const sha256 = (text: string | Uint8Array) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** What a cross-run is judged against: the baseline file as it is on disk now. */
export function baselineAgainst(path: string): string {
  const bytes = readBytesSyncOrNone(path);
  return bytes ? `baseline:${sha256(bytes)}` : 'baseline:none';
}

/** The stamp of a run of `suite` (the benchmarks cut into shards, or measured whole), judged against `against`. */
export function shardStamp(context: CommandContext, suite: readonly Benchmark[], shard: PlannedShard | null, against: string): ShardStamp {
  const ids = shard ? shard.slice.suiteIds : suite.map(benchmarkId);
  const addon = nativeAddonPath();
  return {
    index: shard?.slice.spec.index ?? 1,
    count: shard?.slice.spec.count ?? 1,
    suite: suiteHash(ids),
    suiteSize: ids.length,
    config: context.loaded.file ? sha256(readBytesSyncOrNone(context.loaded.file) ?? '') : 'defaults',
    build: (addon && buildInfo(addon)?.sourceHash) || null,
    against,
  };
}

/** A judged run with its stamp in the results and the comparison (the JSON rendered again). */
export function stamped<O extends { result: RunResult; comparison: Comparison; json: string }>(outcome: O, stamp: ShardStamp): O {
  const comparison = { ...outcome.comparison, shard: stamp };
  return { ...outcome, result: { ...outcome.result, shard: stamp }, comparison, json: renderJson(comparison) };
}
