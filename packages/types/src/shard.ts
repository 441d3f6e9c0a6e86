import type { Comparison } from './comparison.js';
import type { GitInfo } from './measurement.js';

/**
 * Where a run stands among the runs `ratchet merge` joins: which shard of which suite it measured,
 * and what a merge checks the others agree on (the commit is the run's `git.sha`). Written by
 * `run` and `bench`, sharded or not (1 of 1: the whole suite), into the results and the comparison.
 */
export interface ShardStamp {
  /** Which shard, 1-based, of `count`. */
  index: number;
  count: number;
  /** `sha256:<hex>` of the ids of the whole suite the shards cut, sorted, one per line. */
  suite: string;
  /** Benchmarks in that suite. */
  suiteSize: number;
  /** `sha256:<hex>` of the ratchet.config.json the run read; `defaults` when there was none. */
  config: string;
  /** The source hash of the native addon build that measured (build-info.json); null where unknown. */
  build: string | null;
  /**
   * What the run was judged against: `commit:<sha>` (run --base), `baseline:sha256:<hex>` (the
   * committed baseline file as read), `baseline:none` (no baseline yet), `none` (bench judges nothing).
   */
  against: string;
}

// 1: the first; read by `ratchet ci` and `ratchet report` beside a single Comparison.
export const mergedSchemaVersion = 1;

/** One run `ratchet merge` joined: which shard of which device kind, measured on which GPU. */
export interface MergedShard {
  deviceKey: string;
  index: number;
  count: number;
  /** Benchmarks this shard judged. */
  benchmarks: number;
  /** The GPU (or CPU) that ran it, by name and, where known, UUID. */
  deviceName: string;
  uuid: string | null;
  /** The comparison file it came from, as given to `ratchet merge`. */
  file: string;
}

/**
 * `results/merged.json`: the runs of one commit on several shards and devices joined, one
 * comparison per device key (its shards' results together, judged as one suite), in device-key
 * order. A pull request fails when any of them would (gate).
 */
export interface MergedComparisons {
  schemaVersion: typeof mergedSchemaVersion;
  createdAt: string;
  git: GitInfo | null;
  comparisons: Comparison[];
  shards: MergedShard[];
}
