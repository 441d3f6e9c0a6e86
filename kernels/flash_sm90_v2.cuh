// flash_sm90_v2.cuh: version 2 of the Hopper forward: warp specialization.
//
// Idea (FA3, ThunderKittens): give the loads their own warpgroup. Warpgroup 0 is the producer:
// one elected thread issues every TMA (Q once, then K and V of each tile into a kStages ring,
// each stage refilled as soon as its empty barrier says all consumers are done with it), so no
// consumer ever waits for a refill. The producer needs few registers: setmaxnreg hands them to
// the consumers (needs __launch_bounds__(threads, 1) and one role branch per warpgroup). The
// consumers compute as in version 1 (consumeSerial), one tile at a time: GEMM, wait, softmax,
// GEMM, wait.
#pragma once

#include "flash_sm90_v1.cuh"

namespace ratchet::kernels::sm90 {

// Register split between the producer and the consumer warpgroups (FA3's values): 24 + 2 x 240 or
// 32 + 3 x 160 registers per thread, 64 K in all.
template <int kConsumers>
struct RegisterSplit {
  static_assert(kConsumers == 2 || kConsumers == 3, "two or three consumer warpgroups");
  static constexpr int kProducer = kConsumers == 2 ? 24 : 32;
  static constexpr int kConsumer = kConsumers == 2 ? 240 : 160;
};

// The producer: warpgroup 0, one thread.
template <class Cfg>
__device__ __forceinline__ void produceTile(const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile) {
  if (threadIdx.x == 0) {
    prefetchTensorMaps(p);
    loadQ(p, smem, tile);
    for (int j = 0; j < tile.keyTiles; ++j) loadKV(p, smem, tile, j, j);
  }
}

// The body of every warp-specialized kernel (versions 2-8): thread 0 sets up the barriers, then
// warpgroup 0 gives up registers and runs produce(smem), the others take them and run
// consume(smem, consumer) (consumer = warpgroup - 1).
template <class Cfg, class Produce, class Consume>
__device__ __forceinline__ void warpSpecialized(Produce produce, Consume consume) {
  using Registers = RegisterSplit<Cfg::kConsumers>;
  extern __shared__ __align__(1024) unsigned char smemRaw[];
  const SharedTiles<Cfg> smem(smemRaw);
  if (threadIdx.x == 0) initBarriers(smem);
  __syncthreads();
  // Warp-uniform for the compiler, so each role is one warpgroup-wide branch.
  const int warpgroup = __shfl_sync(0xffffffffu, int(threadIdx.x) / kWarpgroupThreads, 0);
  if (warpgroup == 0) {
    registersDecrease<Registers::kProducer>();
    produce(smem);
  } else {
    registersIncrease<Registers::kConsumer>();
    consume(smem, warpgroup - 1);
  }
}

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V2(const __grid_constant__ Sm90Params p) {
  static_assert(Cfg::kProducerWarpgroup, "version 2 has a producer warpgroup");
  const TileCoordinates tile = tileOfBlock<Cfg, kCausal>(p);
  warpSpecialized<Cfg>([&p, tile](const SharedTiles<Cfg>& smem) { produceTile(p, smem, tile); },
                       [&p, tile](const SharedTiles<Cfg>& smem, int consumer) { consumeSerial<Cfg, kCausal, false>(p, smem, tile, consumer); });
}

// Each version's traits (flash_sm90_launch.cuh) derive from the previous version's and restate
// only what changes: here the tiles and the kernel (the grid is version 1's).
struct Sm90V2 : Sm90V1 {
  // Version 1's tiles plus a producer warpgroup: 3 consumers x 64 rows, 128-key tiles; the ring
  // is 4 stages deep at D = 64 (32 KB a stage), 2 at D = 128.
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, 3, 128, D == 64 ? 4 : 2, true>;
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V2<Cfg, kCausal>); }
};

}  // namespace ratchet::kernels::sm90
