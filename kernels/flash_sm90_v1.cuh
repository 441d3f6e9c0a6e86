// flash_sm90_v1.cuh: version 1 of the Hopper forward: TMA + wgmma, no warp specialization.
//
// Idea: move the two GEMMs from mma.sync (which tops out near 640 TFLOP/s on an H100/H200) to
// wgmma, fed by TMA. Q, K and V arrive by cp.async.bulk.tensor into 128-byte swizzled shared
// memory, completing on mbarriers with expected bytes; S = Q K^T reads both operands from shared
// memory, O += P V takes P from registers. Every warpgroup computes (64 query rows each); thread 0
// also issues the loads: Q and the first kStages key tiles up front, then tile j + kStages once
// every warpgroup has released tile j. Each GEMM is waited for before the softmax that needs it,
// so the tensor cores idle during softmax, and warp 0 waits for the slowest warpgroup before it
// refills the ring. Versions 2-4 remove those stalls.
#pragma once

#include "flash_sm90_softmax.cuh"

namespace ratchet::kernels::sm90 {

// One consumer warpgroup's tile, one GEMM at a time: S = Q K^T, wait, softmax, O += P V, wait.
// With kRefill (version 1: no producer warpgroup) thread 0 refills each stage once
// every warpgroup has released it; from version 2 on the producer warpgroup does.
template <class Cfg, bool kCausal, bool kRefill>
__device__ __forceinline__ void consumeSerial(const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile, int consumer) {
  const ThreadPosition at(int(threadIdx.x) % kWarpgroupThreads);
  const int warpgroupRow0 = tile.m0 + kRowsPerConsumer * consumer;
  const uint32_t qRows = smem.q() + consumer * kRowsPerConsumer * kBoxRowBytes;
  float o[Cfg::kHeadDim / 2];
#pragma unroll
  for (int i = 0; i < Cfg::kHeadDim / 2; ++i) o[i] = 0.f;
  RowStats stats;
  mbarrierWait(smem.qFull(), 0);

  for (int j = 0; j < tile.keyTiles; ++j) {
    const RingSlot<Cfg> slot(j);
    float s[Cfg::kBlockN / 2];
    qkAlone(s, qRows, smem, slot, at);

    float correction[2];
    softmaxStep<Cfg, kCausal>(s, stats, correction, p, j * Cfg::kBlockN, warpgroupRow0, at);
    rescaleO<Cfg>(o, correction);
    uint32_t pFragments[Cfg::kBlockN / 16][4];
    packP<Cfg>(s, pFragments);

    pvAlone(o, pFragments, smem, slot, at);
    if constexpr (kRefill) {
      // The refill waits until every warpgroup has released this stage. `&`, not `&&`: one branch,
      // the code version 1 compiled to before version 2 shared this loop.
      if ((threadIdx.x == 0) & (j + Cfg::kStages < tile.keyTiles)) loadKV(p, smem, tile, j + Cfg::kStages, j + Cfg::kStages);
      __syncwarp();
    }
  }
  storeO<Cfg>(p, o, stats, qRows, warpgroupRow0, tile.head, at, 1 + consumer);
}

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V1(const __grid_constant__ Sm90Params p) {
  static_assert(!Cfg::kProducerWarpgroup, "version 1 has no producer warpgroup");
  extern __shared__ __align__(1024) unsigned char smemRaw[];
  const SharedTiles<Cfg> smem(smemRaw);
  const TileCoordinates tile = tileOfBlock<Cfg, kCausal>(p);
  if (threadIdx.x == 0) {
    initBarriers(smem);
    prefetchTensorMaps(p);
    loadQ(p, smem, tile);
    for (int j = 0; j < Cfg::kStages && j < tile.keyTiles; ++j) loadKV(p, smem, tile, j, j);
  }
  __syncthreads();
  consumeSerial<Cfg, kCausal, true>(p, smem, tile, int(threadIdx.x) / kWarpgroupThreads);
}

struct Sm90V1 {
  // Three warpgroups of 64 rows share each 128-key tile (ThunderKittens' tiles); two stages.
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, 3, 128, 2, false>;
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V1<Cfg, kCausal>); }
  template <class Cfg>
  static dim3 grid(const Sm90Params& p, const ratchet_attention_params& params) {
    return blockGrid<Cfg>(p, params);
  }
};

}  // namespace ratchet::kernels::sm90
