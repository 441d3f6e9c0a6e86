// flash_sm90_v11.cuh (dev only, on trial): version 6's stream with a deeper K/V ring at D = 64,
// and a producer that fills the ring before it waits for Q's buffer.
//
// Why: with the L2 flushed before every sample (as the sweep and Ratchet's harness time), Nsight
// Compute on an H100 had version 6 ~2% behind cuDNN in active cycles at B32 H8 S512 D64, and ~2%
// ahead with the L2 left warm (docs/results/2026-12-06-h100-s5-ncu-dirty-l2.csv): the stream waits
// on DRAM where cuDNN does not. Version 6's producer (produceAhead) loads a tile's first K/V, then
// waits until the consumers have copied this tile's Q before it loads the next Q and only then the
// tile's other K/V: at the kernel's start that holds key tile 1 back by a whole DRAM round trip of
// Q, and a deeper ring never fills past one tile's first key tile. Here the producer loads up to
// kStages - 1 of the tile's key tiles first (their slots were freed before the consumers reach the
// tile, so the next Q leaves no later than before), then the next Q, then the rest.
// Version 11: the deeper ring alone (5 stages, 208 KB); 12, 13, 14: the filling producer with 3, 5
// and 6 stages. D = 128 keeps 2 stages (a third does not fit beside O), where the filling producer
// loads one key tile first, as version 6 does: all four match version 6 there.
#pragma once

#include "flash_sm90_v6.cuh"

namespace ratchet::kernels::sm90 {

// produceAhead with the ring filled before the wait for Q's buffer.
template <class Cfg, bool kCausal, class Scheduler>
__device__ __forceinline__ void produceRingFirst(const Sm90Params& p, const SharedTiles<Cfg>& smem) {
  if (threadIdx.x != 0) return;
  prefetchTensorMaps(p);
  const int tiles = p.mBlocks * p.heads;
  constexpr int kAhead = Cfg::kStages > 2 ? Cfg::kStages - 1 : 1;
  int slot = 0;
  int t = int(blockIdx.x);
  TileCoordinates tile = persistentTile<Cfg, kCausal>(p, t);
  loadQ(p, smem, tile);
  for (int local = 0; Scheduler::loopsOn(t, tiles); ++local) {
    const int ahead = min(tile.keyTiles, kAhead);
    for (int j = 0; j < ahead; ++j) loadKV(p, smem, tile, j, slot + j);
    const int next = Scheduler::produceNext(p, smem, t, tiles, local);
    const bool more = next < tiles;
    const TileCoordinates nextTile = more ? persistentTile<Cfg, kCausal>(p, next) : tile;
    if (more) {
      Scheduler::waitQEmpty(smem, local);
      loadQ(p, smem, nextTile);
    } else {
      Scheduler::noNextQ(smem);
    }
    for (int j = ahead; j < tile.keyTiles; ++j) loadKV(p, smem, tile, j, slot + j);
    slot += tile.keyTiles;
    if (Scheduler::stopsAfter(more)) return;
    t = next;
    tile = nextTile;
  }
}

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V12(const __grid_constant__ Sm90Params p) {
  warpSpecialized<Cfg>([&p](const SharedTiles<Cfg>& smem) { produceRingFirst<Cfg, kCausal, StrideTiles>(p, smem); },
                       [&p](const SharedTiles<Cfg>& smem, int consumer) { consumeStream<Cfg, kCausal, EagerSoftmax, StrideTiles>(p, smem, consumer); });
}

template <int kStagesAtD64>
struct Sm90V6Ring : Sm90V6 {
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, 2, 128, D == 64 ? kStagesAtD64 : 2, true, true>;
};

template <int kStagesAtD64>
struct Sm90V6RingFirst : Sm90V6Ring<kStagesAtD64> {
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V12<Cfg, kCausal>); }
};

using Sm90V11 = Sm90V6Ring<5>;
using Sm90V12 = Sm90V6RingFirst<3>;
using Sm90V13 = Sm90V6RingFirst<5>;
using Sm90V14 = Sm90V6RingFirst<6>;

}  // namespace ratchet::kernels::sm90
