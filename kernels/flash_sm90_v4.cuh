// flash_sm90_v4.cuh: version 4 of the Hopper forward: pingpong between the consumer warpgroups.
//
// Idea (FA3's warp-scheduler barrier): version 3 overlaps a warpgroup's softmax with its own
// GEMMs, but all consumers still issue their GEMMs at about the same moment and then all do
// exp2 at the same moment, so the tensor cores and the MUFU units take turns idling. Here the
// consumers take turns issuing: warpgroup c waits on its named barrier before it issues the
// S_j / P_{j-1} V_{j-1} pair and then signals warpgroup c + 1 (round robin), so while one
// warpgroup's GEMMs run the others do softmax. Warpgroup 0 opens the first turn itself; the last
// warpgroup does not signal after its last turn, so every barrier's arrivals and waits balance.
#pragma once

#include "flash_sm90_v3.cuh"

namespace ratchet::kernels::sm90 {

template <int kConsumers>
struct PingpongSchedule {
  // Named barriers 8.. (1..3 are the consumers' epilogue barriers); each turn is 2 warpgroups:
  // the one that waits and the one that signals.
  static constexpr int kFirstBarrier = 8;
  static constexpr int kTurnThreads = 2 * kWarpgroupThreads;
  int consumer;
  __device__ void open(int keyTiles) const {
    if (consumer == 0 && keyTiles > 1) namedBarrierArrive(kFirstBarrier, kTurnThreads);
  }
  __device__ void beforeIssue(int, int) const { namedBarrierSync(kFirstBarrier + consumer, kTurnThreads); }
  __device__ void afterIssue(int j, int keyTiles) const {
    if (consumer == kConsumers - 1 && j == keyTiles - 1) return;
    namedBarrierArrive(kFirstBarrier + (consumer + 1) % kConsumers, kTurnThreads);
  }
};

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V4(const __grid_constant__ Sm90Params p) {
  static_assert(Cfg::kProducerWarpgroup, "version 4 has a producer warpgroup");
  const TileCoordinates tile = tileOfBlock<Cfg, kCausal>(p);
  warpSpecialized<Cfg>([&p, tile](const SharedTiles<Cfg>& smem) { produceTile(p, smem, tile); },
                       [&p, tile](const SharedTiles<Cfg>& smem, int consumer) {
    const PingpongSchedule<Cfg::kConsumers> schedule{consumer};
    schedule.open(tile.keyTiles);
    consumeOverlapped<Cfg, kCausal>(p, smem, tile, consumer, schedule);
  });
}

// Version 3's tiles and grid.
struct Sm90V4 : Sm90V3 {
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V4<Cfg, kCausal>); }
};

}  // namespace ratchet::kernels::sm90
