import type { Static } from '@sinclair/typebox';
import { Described, Int, NonEmptyString, Nullable } from './schema-parts.js';

// Apart from shard.ts, whose merged file holds whole comparisons: the results and the comparison
// carry this stamp, so their schemas need it without a cycle back through the merged file's.

/**
 * Where a run stands among the runs `ratchet merge` joins: which shard of which suite it measured,
 * and what a merge checks the others agree on (the commit is the run's `git.sha`). Written by
 * `run` and `bench`, sharded or not (1 of 1: the whole suite), into the results and the comparison.
 */
export const ShardStampSchema = Described('Which shard of which suite was judged: what `ratchet merge` checks. Absent in files from before it.', {
  index: Int(1, { description: 'Which shard, 1-based, of `count`.' }),
  count: Int(1),
  suite: NonEmptyString({ description: '`sha256:<hex>` of the ids of the whole suite the shards cut, sorted, one per line.' }),
  suiteSize: Int(0, { description: 'Benchmarks in that suite.' }),
  config: NonEmptyString({ description: '`sha256:<hex>` of the ratchet.config.json the run read; `defaults` when there was none.' }),
  build: Nullable(NonEmptyString(), { description: 'The source hash of the native addon build that measured (build-info.json); null where unknown.' }),
  against: NonEmptyString({
    description:
      'What the run was judged against: `commit:<sha>` (run --base), `baseline:sha256:<hex>` (the committed baseline file as read), ' +
      '`baseline:none` (no baseline yet), `none` (bench judges nothing).',
  }),
});
export type ShardStamp = Static<typeof ShardStampSchema>;
