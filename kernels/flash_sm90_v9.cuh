// flash_sm90_v9.cuh: version 9 of the Hopper forward: O staged in Q's buffer, a deeper K/V ring.
// On trial: in dev builds only (RATCHET_DEV_KNOBS, kernels/dev/sdpa_sweep.py's library) until it
// is checked and timed on both GPUs.
//
// Idea: at short causal sequences (S = 512: 1-4 key tiles a query tile) we trail cuDNN by 5-11% on
// the H100 with SMs 96% busy and both kernels at ~75% of the memory roof; cuDNN keeps 227 KB of
// shared memory in flight to our 198 (docs/benchmarks.md, 2026-12-06). Versions 6-8 hold Q in
// registers, so Q's buffer only waits for the next tile's Q; O's staging buffer (32 KB at D = 128)
// is what keeps a third K/V stage out. Here each consumer stages its O in its own 64 rows of Q's
// buffer, which it has just copied into registers (storeO's row split is Q's), and gives the buffer
// back only once that store has read it, after the next tile's first S GEMM, so the wait is mostly
// over; the next Q still lands a whole tile ahead. The room goes to the ring: three stages at
// D = 128, four at D = 64. Schedule (the counter) and softmax as version 8.
#pragma once

#include "flash_sm90_v8.cuh"

namespace ratchet::kernels::sm90 {

// Version 8's tiles without O's buffer (a non-persistent layout stages O in Q's) and a deeper ring.
template <typename Element, int D>
struct Sm90V9Config : Sm90Config<Element, D, 2, 128, D == 64 ? 4 : 3, true, false> {
  using Base = Sm90Config<Element, D, 2, 128, D == 64 ? 4 : 3, true, false>;
  static constexpr uint32_t kNextTileOffset = Base::kBarrierOffset + 8 * Base::kBarriers;
  static constexpr uint32_t kSmemBytes = Base::kSmemBytes + 8;
  static_assert(kSmemBytes <= 227 * 1024, "an H100/H200 CTA has at most 227 KB of shared memory");
};

// Q's buffer back to the producer once the O store staged in it has read it (the leader issued
// that store; the warpgroup waits for its wait before any warp arrives).
struct QReleasedAfterStore {
  static constexpr bool kOnTake = false;
  template <class Cfg>
  __device__ __forceinline__ static void afterStore(SharedTiles<Cfg> smem, int consumer, const ThreadPosition& at) {
    if (at.warp == 0 && at.lane == 0) tmaStoreWaitRead();
    namedBarrierSync(1 + consumer, kWarpgroupThreads);
    fenceProxyAsync();
    releaseStage(smem.qEmpty(), at);
  }
};

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V9(const __grid_constant__ Sm90Params p) {
  streamKernel<Cfg, kCausal, Sm90V8Softmax<Cfg>, CounterTiles, QReleasedAfterStore>(p);
}

struct Sm90V9 : Sm90V8 {
  template <typename Element, int D>
  using Config = Sm90V9Config<Element, D>;
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V9<Cfg, kCausal>); }
};

}  // namespace ratchet::kernels::sm90
