import { describe, expect, it } from 'vitest';
import { seededRandom } from '@ratchet/stats';
import { benchmarkId, isRatchetError, type Benchmark } from '@ratchet/types';
import { defaultConfig } from './defaults.js';
import { assignShards, expectedCostMs, parseShard, shardSlack, sliceShard, type ShardCost } from './shard.js';
import { simulatedBackend } from './simulated-backend.js';

/** A suite of `size` benchmarks whose costs spread 40x, as the default suite's do (50 ms to 2 s). */
function suite(seed: number, size: number, prefix = 'flash_fwd/fp16/B1_H1_S'): ShardCost[] {
  const random = seededRandom(seed);
  return Array.from({ length: size }, (_, i) => ({ id: `${prefix}${64 * (i + 1)}_D64`, costMs: 50 + 1950 * random() ** 2 }));
}

function loads(items: readonly ShardCost[], count: number): number[] {
  const assigned = assignShards(items, count);
  const total = new Array<number>(count).fill(0);
  for (const item of items) total[assigned.get(item.id)!]! += item.costMs;
  return total;
}

const moved = (before: Map<string, number>, after: Map<string, number>, ids: readonly string[]) => ids.filter((id) => before.get(id) !== after.get(id)).length;

describe('--shard i/n', () => {
  it('reads i/n with 1 <= i <= n, and refuses the rest as usage', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/2', '3/2', '1/0', '1/257', '1-2', '1/2/3', '', 'a/b']) {
      let code = '';
      try {
        parseShard(bad);
      } catch (error) {
        if (isRatchetError(error)) code = error.code;
      }
      expect(code, bad).toBe('ERR_RATCHET_USAGE');
    }
  });

  it('is a partition: every benchmark in exactly one shard, for n = 1..16, as benchmarks come and go', () => {
    let items = suite(1, 40);
    for (let step = 0; step < 6; step += 1) {
      for (let count = 1; count <= 16; count += 1) {
        const assigned = assignShards(items, count);
        expect([...assigned.keys()].sort()).toEqual(items.map((item) => item.id).sort());
        expect([...assigned.values()].every((shard) => Number.isInteger(shard) && shard >= 0 && shard < count)).toBe(true);
      }
      // Three removed, five added: the next suite of the project.
      items = [...items.slice(3), ...suite(100 + step, 5, `rmsnorm/fp16/rows${step}_cols`)];
    }
  });

  it('is the same partition in any order the suite is listed', () => {
    const items = suite(2, 30);
    expect(assignShards([...items].reverse(), 4)).toEqual(assignShards(items, 4));
  });

  it(`keeps every shard within max((1 + ${shardSlack}) x the mean, the mean + the costliest benchmark), for n = 1..16`, () => {
    for (const seed of [3, 4, 5, 6]) {
      for (const size of [16, 50, 200]) {
        const items = suite(seed, size);
        const total = items.reduce((sum, item) => sum + item.costMs, 0);
        const costliest = Math.max(...items.map((item) => item.costMs));
        for (let count = 1; count <= 16; count += 1) {
          const mean = total / count;
          expect(Math.max(...loads(items, count))).toBeLessThanOrEqual(Math.max((1 + shardSlack) * mean, mean + costliest) + 1e-9);
        }
      }
    }
  });

  it('balances a suite of 200 within 1.1x the mean on 2 to 16 shards', () => {
    const items = suite(7, 200);
    const total = items.reduce((sum, item) => sum + item.costMs, 0);
    for (const count of [2, 4, 8, 16]) expect(Math.max(...loads(items, count)) / (total / count)).toBeLessThanOrEqual(1 + shardSlack + 1e-9);
  });

  it('moves a benchmark only with the one added or removed, or where a shard would pass its bound: under 2% of 200 on average', () => {
    let moves = 0;
    let trials = 0;
    let most = 0;
    for (const seed of [11, 12, 13, 14, 15]) {
      const items = suite(seed, 200);
      for (const count of [2, 4, 8, 16]) {
        const before = assignShards(items, count);
        const ids = items.slice(1).map((item) => item.id);
        for (const changed of [[...items, ...suite(seed + 50, 1, 'rmsnorm/bf16/rows')], items.slice(1)]) {
          const n = moved(before, assignShards(changed, count), ids);
          moves += n;
          most = Math.max(most, n);
          trials += 1;
        }
      }
    }
    expect(moves / trials / 200).toBeLessThan(0.02);
    expect(most / 200).toBeLessThanOrEqual(0.06);
  });

  it('slices a suite on a device: costs from the baseline where it has them, else from the work of each benchmark; the shards together are the suite', async () => {
    const backend = simulatedBackend({ medianMs: 1, sigma: 0.01 }, { seed: 1 });
    const shapes: Benchmark[] = Array.from({ length: 9 }, (_, i) => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 128 * (i + 1), D: 64, causal: false }));
    const budget = { ...defaultConfig.budgets.cuda, minTimeMs: 100, maxTimeMs: 4_000 };
    const known = { [benchmarkId(shapes[0]!)]: { summary: { n: 490, median: 2 } } } as never;
    const slices = await Promise.all([1, 2, 3].map((index) => sliceShard(shapes, { index, count: 3 }, known, backend, budget)));
    expect(slices.flatMap((slice) => slice.benchmarks.map(benchmarkId)).sort()).toEqual(shapes.map(benchmarkId).sort());
    // (490 samples + 10 warm-up) x 2 ms from the entry; the others' least cost is the budget's minimum time and a check.
    expect(slices[0]!.costs[0]).toEqual({ id: benchmarkId(shapes[0]!), costMs: 1_000 });
    expect(slices[0]!.costs.slice(1).every((cost) => cost.costMs > 100 && cost.costMs < 101)).toBe(true);
    const total = slices[0]!.loadsMs.reduce((a, b) => a + b, 0);
    expect(Math.max(...slices[0]!.loadsMs)).toBeLessThanOrEqual(Math.max(1.1 * (total / 3), total / 3 + 1_000));
    expect(slices.map((slice) => slice.benchmarks.length).reduce((a, b) => a + b)).toBe(9);
  });

  it("expects a benchmark to cost its baseline entry's samples and warm-up at its median, within the budget's time bounds", () => {
    const budget = { warmup: 10, minTimeMs: 100, maxTimeMs: 5_000 };
    expect(expectedCostMs({ summary: { n: 990, median: 2 } as never }, undefined, budget)).toBe(2_000);
    expect(expectedCostMs({ summary: { n: 90, median: 0.01 } as never }, 40, budget)).toBe(100);
    expect(expectedCostMs({ summary: { n: 9_990, median: 1 } as never }, undefined, budget)).toBe(5_000);
    // No entry: the least cost its work allows, within the same bounds.
    expect(expectedCostMs(undefined, 700, budget)).toBe(700);
    expect(expectedCostMs(undefined, undefined, budget)).toBe(100);
  });
});
