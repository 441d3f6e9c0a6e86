import { Type, type Static } from '@sinclair/typebox';
import { ComparisonSchema } from './comparison.js';
import { GitInfoSchema } from './measurement.js';
import { Int, NonEmptyString, Nullable, Obj, SchemaVersion, Str } from './schema-parts.js';

export { ShardStampSchema, type ShardStamp } from './shard-stamp.js';

// 1: the first; read by `ratchet ci` and `ratchet report` beside a single Comparison.
export const mergedSchemaVersion = 1;

/** One run `ratchet merge` joined: which shard of which device kind, measured on which GPU. */
export const MergedShardSchema = Obj({
  deviceKey: NonEmptyString(),
  index: Int(1),
  count: Int(1),
  benchmarks: Int(0, { description: 'Benchmarks this shard judged.' }),
  deviceName: Str({ description: 'The GPU (or CPU) that ran it, by name.' }),
  uuid: Nullable(NonEmptyString(), { description: 'The GPU\'s UUID where known.' }),
  file: Str({ description: 'The comparison file it came from, as given to `ratchet merge`.' }),
});
export type MergedShard = Static<typeof MergedShardSchema>;

/**
 * `results/merged.json`: the runs of one commit on several shards and devices joined, one
 * comparison per device key (its shards' results together, judged as one suite), in device-key
 * order. A pull request fails when any of them would (gate).
 */
export const MergedComparisonsSchema = Obj({
  schemaVersion: SchemaVersion(mergedSchemaVersion),
  createdAt: Str(),
  git: Nullable(GitInfoSchema),
  comparisons: Type.Array(ComparisonSchema, { minItems: 1 }),
  shards: Type.Array(MergedShardSchema),
}, {
  title: 'results/merged.json',
  description: 'The runs of one commit on several shards and devices joined by `ratchet merge`: one comparison per device key.',
});
export type MergedComparisons = Static<typeof MergedComparisonsSchema>;
