import { RatchetError, benchmarkId, type Benchmark } from '@ratchet/types';

/**
 * The benchmarks to measure: the whole suite, or the ones named by id (in the order given).
 * An id not in the suite is an error that lists what is, so a typo never measures nothing.
 */
export function selectBenchmarks(suite: readonly Benchmark[], ids: readonly string[] = []): Benchmark[] {
  const byId = new Map<string, Benchmark>();
  for (const benchmark of suite) {
    const id = benchmarkId(benchmark);
    if (byId.has(id)) {
      throw new RatchetError('ERR_RATCHET_DUPLICATE_BENCHMARK', `suite: benchmark ${id} appears twice`);
    }
    byId.set(id, benchmark);
  }
  if (ids.length === 0) return [...byId.values()];
  const seen = new Set<string>();
  return ids.map((id) => {
    const benchmark = byId.get(id);
    if (!benchmark) {
      throw new RatchetError(
        'ERR_RATCHET_UNKNOWN_BENCHMARK',
        `unknown benchmark '${id}' (the suite has: ${[...byId.keys()].join(', ')})`,
      );
    }
    if (seen.has(id)) {
      throw new RatchetError('ERR_RATCHET_DUPLICATE_BENCHMARK', `benchmark ${id} was named twice`);
    }
    seen.add(id);
    return benchmark;
  });
}
