#!/usr/bin/env python3
"""How evenly the persistent causal schedule (flash_sm90_v5.cuh, persistentTile) loads the SMs.

A model, not a measurement: a tile costs its key tiles plus a fixed overhead (in key-tile units),
132 SMs, one CTA each. `static` is the kernels' assignment (CTA b takes tiles b, b + 132, ...
in the longest-first order within sections of heads whose K/V fit in half the L2); `dynamic`
gives each next tile in the same order to the CTA that frees up first (a tile counter, what
FlashAttention-3's scheduler does). Efficiency: mean CTA load over the largest.

    python3 kernels/dev/persistent_schedule.py            # the suite's causal shapes and FA3's B1 S16k
    python3 kernels/dev/persistent_schedule.py --overhead 4
    python3 kernels/dev/persistent_schedule.py --equal-sections   # sections of (nearly) equal size
"""
import argparse
import heapq

SMS = 132
L2_BYTES = 60 * 1024 * 1024  # the H200's 60 MB (cudaDevAttrL2CacheSize)


def section_heads(batch_heads, seq, head_dim):
    fit = 0.5 * L2_BYTES / (2.0 * seq * head_dim * 2)
    return int(max(1, min(batch_heads, fit)))


def section_sizes(batch_heads, section, equal):
    """The kernels' sections (all full but the last), or as many sections of nearly equal size."""
    count = -(-batch_heads // section)
    if not equal:
        return [section] * (count - 1) + [batch_heads - section * (count - 1)]
    small = batch_heads // count
    return [small + 1] * (batch_heads % count) + [small] * (count - batch_heads % count)


def tile_lengths(seq, sizes, block_m=128, block_n=128):
    """Key tiles of each tile in schedule order: section by section, longest first within one."""
    m_blocks = (seq + block_m - 1) // block_m
    lengths = []
    for heads in sizes:
        for within in range(heads * m_blocks):
            m_block = m_blocks - 1 - within // heads
            key_end = min(seq, (m_block + 1) * block_m)
            lengths.append((key_end + block_n - 1) // block_n)
    return lengths


def static_makespan(costs):
    load = [0.0] * SMS
    for index, cost in enumerate(costs):
        load[index % SMS] += cost
    return max(load)


def dynamic_makespan(costs):
    free_at = [0.0] * SMS
    heapq.heapify(free_at)
    for cost in costs:
        heapq.heappush(free_at, heapq.heappop(free_at) + cost)
    return max(free_at)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--overhead", type=float, default=2.0, help="per-tile cost beyond its key tiles, in key tiles")
    parser.add_argument("--equal-sections", action="store_true", help="sections of nearly equal size instead of full ones and a remainder")
    args = parser.parse_args()
    shapes = [(4, 16, 4096, 128), (8, 16, 2048, 128), (2, 16, 8192, 128), (1, 16, 16384, 128), (16, 16, 1024, 64), (1, 32, 16384, 64)]
    print("| causal shape | heads per section | static | dynamic |")
    print("| --- | ---: | ---: | ---: |")
    for batch, heads, seq, head_dim in shapes:
        section = section_heads(batch * heads, seq, head_dim)
        sizes = section_sizes(batch * heads, section, args.equal_sections)
        costs = [length + args.overhead for length in tile_lengths(seq, sizes)]
        mean = sum(costs) / SMS
        print(f"| B{batch} H{heads} S{seq} D{head_dim} | {section} | {mean / static_makespan(costs):.1%} | {mean / dynamic_makespan(costs):.1%} |")


if __name__ == "__main__":
    main()
