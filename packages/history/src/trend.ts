import type { RunRecord } from '@ratchet/types';

/**
 * The last `limit` medians (ms, oldest first) of each benchmark on one device: what the PR
 * report's sparklines draw. Runs where a benchmark was invalid or absent leave no point.
 */
export function recentMedians(records: readonly RunRecord[], deviceKey: string, ids: readonly string[], limit: number): Record<string, number[]> {
  const wanted = new Set(ids);
  const medians: Record<string, number[]> = Object.fromEntries(ids.map((id) => [id, []]));
  for (const record of records) {
    if (record.deviceKey !== deviceKey) continue;
    for (const benchmark of record.benchmarks) {
      if (wanted.has(benchmark.id) && benchmark.medianMs !== null) medians[benchmark.id]!.push(benchmark.medianMs);
    }
  }
  for (const id of ids) medians[id] = medians[id]!.slice(-limit);
  return medians;
}
