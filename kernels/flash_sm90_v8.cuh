// flash_sm90_v8.cuh: version 8 of the Hopper forward: tiles handed out by a counter
// (FlashAttention-3's dynamic persistent scheduler). Version 6's stream (streamKernel) with a
// schedule policy of its own (CounterTiles) in place of the static stride (StrideTiles).
//
// Idea: versions 5-7 hand the tiles out statically, CTA b taking tiles b, b + G, b + 2G, ... of the
// longest-first causal order. With tiles of unequal length the CTAs end at different times: Nsight
// Compute measured the SMs' active cycles at 90.7% of the busiest SM's on average at B4 H16 S4096
// D128 causal (a suite shape) and 83.0% at B1 H16 S16384 D128 causal, where we trail cuDNN by 6%
// (docs/benchmarks.md, 2026-12-02; kernels/dev/persistent_schedule.py models 91% and 83%, and 96%
// for both with a counter). Here the producer claims each next tile from a counter in global memory
// as it starts loading the current one, so a CTA that drew short tiles draws more. The order of the
// tiles is the same (sections of heads whose K/V fit in a share of the L2, longest first), so K/V stay in
// L2 as before. Consumers as in version 7 at D = 128 (lazy rescale) and version 6 at D = 64 (where
// version 7 was slower).
//
// How the index travels. The producer writes the claimed index into a shared word, then arrives on
// Q's full barrier: with the next Q's bytes expected when there is a next tile, alone when there is
// none (index >= tiles). The arrival releases the write and the consumers' wait on that barrier
// acquires it. The word is rewritten only after Q's empty barrier completes, and each consumer warp
// reads it before its arrival there (takeQ), so no read can see the next tile's index early.
//
// How the counter resets. Tile blockIdx.x is every CTA's first without a claim; each claim returns
// the counter's old value c, the tile gridDim.x + c. One launch makes exactly `tiles` claims (tiles
// gridDim.x .. tiles - 1 once each, plus one past the end per CTA), so the claim that returns
// tiles - 1 is the launch's last: it sets the counter back to 0 for the next launch. Launches one
// after another on a stream then share a counter safely; launches that may run at once may not, so
// the launcher gives each (device, stream) its own (flash_sm90_launch.cuh, tileCounterSlot). A CUDA
// graph keeps the slot of the stream it was captured on: replayed on one stream at a time it is
// safe (each replay leaves the counter at 0), replayed on two streams at once it is not.
#pragma once

#include <type_traits>

#include "flash_sm90_v7.cuh"

namespace ratchet::kernels::sm90 {

// The counters (flash_sm90.cuh, kTileCounterSlots): module memory, zero at load, each left at 0 by
// the launch that used it.
__device__ int gTileCounters[kTileCounterSlots];

// Version 6's tiles plus one shared word after the barriers: the index of the CTA's next tile.
template <typename Element, int D>
struct Sm90V8Config : Sm90V6::Config<Element, D> {
  using Base = Sm90V6::Config<Element, D>;
  static constexpr uint32_t kNextTileOffset = Base::kBarrierOffset + 8 * Base::kBarriers;
  static constexpr uint32_t kSmemBytes = Base::kSmemBytes + 8;
  static_assert(kSmemBytes <= 227 * 1024, "an H100/H200 CTA has at most 227 KB of shared memory");
};

template <class Cfg>
__device__ __forceinline__ uint32_t nextTileWord(const SharedTiles<Cfg>& smem) {
  return smem.base + Cfg::kNextTileOffset;
}

// The next tile for this CTA (see the header for why the claim that returns tiles - 1 resets).
__device__ __forceinline__ int claimTile(const Sm90Params& p, int tiles) {
  int* counter = &gTileCounters[p.tileCounterSlot];
  const int claimed = atomicAdd(counter, 1);
  if (claimed == tiles - 1) atomicExch(counter, 0);
  return int(gridDim.x) + claimed;
}

// The index the producer published with tile `local + 1`'s Q (>= tiles: there is none).
template <class Cfg>
__device__ __forceinline__ int publishedNextTile(const SharedTiles<Cfg>& smem, int local) {
  mbarrierWait(smem.qFull(), uint32_t(local + 1) & 1u);
  int next;
  asm volatile("ld.shared.u32 %0, [%1];\n" : "=r"(next) : "r"(nextTileWord(smem)) : "memory");
  return next;
}

// Version 6's schedule policy (StrideTiles) with the next tile claimed from the counter by the
// producer and read by the consumers from where the producer published it.
struct CounterTiles {
  template <class Cfg>
  __device__ __forceinline__ static int produceNext(const Sm90Params& p, SharedTiles<Cfg> smem, int, int tiles, int local) {
    const int next = claimTile(p, tiles);
    // The consumers have copied this tile's Q, and read this tile's index, before this completes.
    mbarrierWait(smem.qEmpty(), uint32_t(local) & 1u);
    asm volatile("st.shared.u32 [%0], %1;\n" ::"r"(nextTileWord(smem)), "r"(next) : "memory");
    return next;
  }
  // Waited for in produceNext, before the index was published.
  template <class Cfg>
  __device__ __forceinline__ static void waitQEmpty(SharedTiles<Cfg>, int) {}
  // No Q to wait for: the arrival alone says "no more tiles".
  template <class Cfg>
  __device__ __forceinline__ static void noNextQ(SharedTiles<Cfg> smem) {
    mbarrierArrive(smem.qFull());
  }
  __device__ __forceinline__ static bool loopsOn(int, int) { return true; }
  __device__ __forceinline__ static bool stopsAfter(bool more) { return !more; }
  // A CTA cannot know at its start whether a second tile will come, so the ring is always open; a
  // stream with no turns balances too (consumer 0's opening arrival meets its closing wait).
  __device__ __forceinline__ static bool mayTurn(int, int, int) { return true; }
  template <class Cfg>
  __device__ __forceinline__ static int consumeNext(SharedTiles<Cfg> smem, int, int local) {
    return publishedNextTile(smem, local);
  }
};

// The softmax each head dim was fastest with: lazy rescaling at D = 128, eager at D = 64.
template <class Cfg>
using Sm90V8Softmax = std::conditional_t<Cfg::kHeadDim == 128, LazySoftmax, EagerSoftmax>;

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V8(const __grid_constant__ Sm90Params p) {
  streamKernel<Cfg, kCausal, Sm90V8Softmax<Cfg>, CounterTiles>(p);
}

struct Sm90V8 : Sm90V7 {
  // Draws from a tile counter: the launcher gives the launch its slot (tileCounterSlot).
  static constexpr bool kTileCounter = true;
  template <typename Element, int D>
  using Config = Sm90V8Config<Element, D>;
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V8<Cfg, kCausal>); }
};

}  // namespace ratchet::kernels::sm90
