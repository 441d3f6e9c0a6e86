// flash_sm90_v8.cuh: version 8 of the Hopper forward: tiles handed out by a counter
// (FlashAttention-3's dynamic persistent scheduler). Dev-only until checked on a GPU: the bench
// (kernels/dev/flash_sm90_bench.cu) runs it as `dev_v8_tile_counter`; the variant table does not
// list it yet.
//
// Idea: versions 5-7 hand the tiles out statically, CTA b taking tiles b, b + G, b + 2G, ... of the
// longest-first causal order. With tiles of unequal length the CTAs end at different times: Nsight
// Compute measured the SMs' active cycles at 90.7% of the busiest SM's on average at B4 H16 S4096
// D128 causal (a suite shape) and 83.0% at B1 H16 S16384 D128 causal, where we trail cuDNN by 6%
// (docs/benchmarks.md, 2026-12-02; kernels/dev/persistent_schedule.py models 91% and 83%, and 96%
// for both with a counter). Here the producer claims each next tile from a counter in global memory
// as it starts loading the current one, so a CTA that drew short tiles draws more. The order of the
// tiles is the same (sections of heads whose K/V fit in half the L2, longest first), so K/V stay in
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

// The producer: as version 6's (each tile's successor's Q a whole tile ahead), with the successor
// claimed instead of computed, and the end published to the consumers the same way.
template <class Cfg, bool kCausal>
__device__ __forceinline__ void produceClaimed(const Sm90Params& p, const SharedTiles<Cfg>& smem) {
  if (threadIdx.x != 0) return;
  prefetchTensorMap(&p.q);
  prefetchTensorMap(&p.k);
  prefetchTensorMap(&p.v);
  const int tiles = p.mBlocks * p.heads;
  int slot = 0;
  TileCoordinates tile = persistentTile<Cfg, kCausal>(p, int(blockIdx.x));
  loadQ(p, smem, tile);
  for (int local = 0;; ++local) {
    loadKV(p, smem, tile, 0, slot);
    const int next = claimTile(p, tiles);
    // The consumers have copied this tile's Q, and read this tile's index, before this completes.
    mbarrierWait(smem.qEmpty(), uint32_t(local) & 1u);
    asm volatile("st.shared.u32 [%0], %1;\n" ::"r"(nextTileWord(smem)), "r"(next) : "memory");
    const bool more = next < tiles;
    const TileCoordinates nextTile = more ? persistentTile<Cfg, kCausal>(p, next) : tile;
    if (more) loadQ(p, smem, nextTile);
    else mbarrierArrive(smem.qFull());  // no Q to wait for: the arrival alone says "no more tiles"
    for (int j = 1; j < tile.keyTiles; ++j) loadKV(p, smem, tile, j, slot + j);
    slot += tile.keyTiles;
    if (!more) return;
    tile = nextTile;
  }
}

// The index the producer published with tile `local + 1`'s Q (>= tiles: there is none).
template <class Cfg>
__device__ __forceinline__ int publishedNextTile(const SharedTiles<Cfg>& smem, int local) {
  mbarrierWait(smem.qFull(), uint32_t(local + 1) & 1u);
  int next;
  asm volatile("ld.shared.u32 %0, [%1];\n" : "=r"(next) : "r"(nextTileWord(smem)) : "memory");
  return next;
}

// Version 6's stream of key tiles (consumeStream), the next tile read from the producer. The
// pingpong ring is always open: a CTA cannot know at its start whether a second tile will come,
// and a stream with no turns balances too (consumer 0's opening arrival meets its closing wait).
template <class Cfg, bool kCausal, class Steps>
__device__ __forceinline__ void consumeClaimed(const Sm90Params& p, const SharedTiles<Cfg>& smem, int consumer) {
  const ThreadPosition at(int(threadIdx.x) % kWarpgroupThreads);
  const int tiles = p.mBlocks * p.heads;
  int local = 0, slot = 0;
  TileCoordinates tile = persistentTile<Cfg, kCausal>(p, int(blockIdx.x));
  const TokenRing<Cfg::kConsumers> ring{consumer, true};
  StreamState<Cfg> st;
  ring.open();

  // The stream's first S GEMM, alone.
  takeQ(st, smem, consumer, local, at);
  const RingSlot<Cfg> first(slot);
  mbarrierWait(smem.kFull(first.stage), first.parity);
  wgmmaFence();
  issueQKFromRegisters<Cfg>(st.s, st.q, smem.k(first.stage));
  wgmmaCommit();
  wgmmaWait<0>();
  fenceRegisters(st.s);
  releaseStage(smem.kEmpty(first.stage), at);
  Steps::template start<Cfg, kCausal>(st, p, tile, consumer, at);

  while (true) {
    Steps::template inner<Cfg, kCausal>(st, p, smem, tile, consumer, ring, slot, at);
    const RingSlot<Cfg> lastV(slot + tile.keyTiles - 1);
    const int next = publishedNextTile(smem, local);
    if (next >= tiles) {
      mbarrierWait(smem.vFull(lastV.stage), lastV.parity);
      wgmmaFence();
      issuePV<Cfg>(st.o, st.pFragments, smem.v(lastV.stage));
      wgmmaCommit();
      wgmmaWait<0>();
      fenceRegisters(st.o);
      fenceRegisters(st.pFragments);
      releaseStage(smem.vEmpty(lastV.stage), at);
      storeTile<Cfg>(st, p, smem, tile, consumer, at);
      break;
    }
    // The boundary: this tile's last P V and the next one's first S GEMM in one turn.
    const TileCoordinates nextTile = persistentTile<Cfg, kCausal>(p, next);
    takeQ(st, smem, consumer, local + 1, at);
    const RingSlot<Cfg> firstK(slot + tile.keyTiles);
    mbarrierWait(smem.kFull(firstK.stage), firstK.parity);
    mbarrierWait(smem.vFull(lastV.stage), lastV.parity);
    ring.beforeIssue();
    wgmmaFence();
    issuePV<Cfg>(st.o, st.pFragments, smem.v(lastV.stage));
    wgmmaCommit();
    issueQKFromRegisters<Cfg>(st.s, st.q, smem.k(firstK.stage));
    wgmmaCommit();
    ring.afterIssue();
    wgmmaWait<1>();  // this tile's O is complete; the next one's S may still run
    fenceRegisters(st.o);
    fenceRegisters(st.pFragments);
    releaseStage(smem.vEmpty(lastV.stage), at);
    storeTile<Cfg>(st, p, smem, tile, consumer, at);
    wgmmaWait<0>();
    fenceRegisters(st.s);
    releaseStage(smem.kEmpty(firstK.stage), at);
    slot += tile.keyTiles;
    ++local;
    tile = nextTile;
    Steps::template start<Cfg, kCausal>(st, p, tile, consumer, at);
  }
  ring.close();
  if (at.warp == 0 && at.lane == 0) tmaStoreWaitRead();  // shared memory must outlive the last store's reads
}

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V8(const __grid_constant__ Sm90Params p) {
  static_assert(Cfg::kProducerWarpgroup && Cfg::kPersistent, "version 8 is persistent with a producer warpgroup");
  // The softmax each head dim was fastest with: lazy rescaling at D = 128, eager at D = 64.
  using Steps = std::conditional_t<Cfg::kHeadDim == 128, LazySoftmaxSteps, EagerSoftmaxSteps>;
  using Registers = RegisterSplit<Cfg::kConsumers>;
  extern __shared__ __align__(1024) unsigned char smemRaw[];
  const SharedTiles<Cfg> smem(smemRaw);
  if (threadIdx.x == 0) initBarriers(smem);
  __syncthreads();
  const int warpgroup = __shfl_sync(0xffffffffu, int(threadIdx.x) / kWarpgroupThreads, 0);
  if (warpgroup == 0) {
    registersDecrease<Registers::kProducer>();
    produceClaimed<Cfg, kCausal>(p, smem);
  } else {
    registersIncrease<Registers::kConsumer>();
    consumeClaimed<Cfg, kCausal, Steps>(p, smem, warpgroup - 1);
  }
}

struct Sm90V8 {
  // Draws from a tile counter: the launcher gives the launch its slot (tileCounterSlot).
  static constexpr bool kTileCounter = true;
  template <typename Element, int D>
  using Config = Sm90V8Config<Element, D>;
  template <class Cfg, bool kCausal>
  static const void* kernel() {
    return reinterpret_cast<const void*>(&flashForwardSm90V8<Cfg, kCausal>);
  }
  template <class Cfg>
  static dim3 grid(const Sm90Params& p, const ratchet_attention_params&) {
    return persistentGrid<Cfg>(p);
  }
};

}  // namespace ratchet::kernels::sm90
