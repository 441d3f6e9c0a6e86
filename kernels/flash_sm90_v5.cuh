// flash_sm90_v5.cuh: version 5 of the Hopper forward: persistent CTAs, longest tiles first.
//
// Idea (FA3's tile schedulers): with one CTA per tile, every CTA pays its prologue (barrier
// setup, the first Q and K loads) with its tensor cores idle, which at S = 512 is a good part of
// a tile's few microseconds; and a causal grid ends with a tail of short tiles on a few SMs. Here
// one CTA per SM loops over tiles t = blockIdx.x, + gridDim.x, ...: the producer loads the next
// tile's Q (once every consumer has released the current one) and K/V while the consumers finish
// the current tile, the K/V ring runs on across tiles, and O leaves through its own staging buffer
// so its TMA store overlaps the next tile. Non-causal tiles go head by head (a head's K/V stays in
// L2 while all its query tiles read it). Causal tiles go longest first (last query tiles first)
// within sections of heads whose K/V fit in a share of the L2 together, so the long tiles start early
// and the short ones fill the end, without K/V falling out of L2. Consumers as in version 4.
#pragma once

#include "flash_sm90_v4.cuh"

namespace ratchet::kernels::sm90 {

// The t-th tile of the persistent schedule.
template <class Cfg, bool kCausal>
__device__ __forceinline__ TileCoordinates persistentTile(const Sm90Params& p, int t) {
  int mBlock, head;
  if constexpr (kCausal) {
    const int perSection = p.sectionHeads * p.mBlocks;
    const int sectionStart = (t / perSection) * p.sectionHeads;
    const int within = t % perSection;
    const int sectionHeads = min(p.sectionHeads, p.heads - sectionStart);
    mBlock = p.mBlocks - 1 - within / sectionHeads;
    head = sectionStart + within % sectionHeads;
  } else {
    mBlock = t % p.mBlocks;
    head = t / p.mBlocks;
  }
  TileCoordinates tile;
  tile.m0 = mBlock * Cfg::kBlockM;
  tile.head = head;
  const int keyEnd = kCausal ? min(p.S, tile.m0 + Cfg::kBlockM) : p.S;
  tile.keyTiles = (keyEnd + Cfg::kBlockN - 1) / Cfg::kBlockN;
  return tile;
}

template <class Cfg, bool kCausal>
__device__ __forceinline__ void producePersistent(const Sm90Params& p, const SharedTiles<Cfg>& smem) {
  if (threadIdx.x != 0) return;
  prefetchTensorMaps(p);
  const int tiles = p.mBlocks * p.heads;
  int ring = 0, local = 0;
  for (int t = int(blockIdx.x); t < tiles; t += int(gridDim.x), ++local) {
    const TileCoordinates tile = persistentTile<Cfg, kCausal>(p, t);
    if (local > 0) mbarrierWait(smem.qEmpty(), uint32_t(local - 1) & 1u);
    loadQ(p, smem, tile);
    for (int j = 0; j < tile.keyTiles; ++j) loadKV(p, smem, tile, j, ring + j);
    ring += tile.keyTiles;
  }
}

template <class Cfg, bool kCausal>
__device__ __forceinline__ void consumePersistent(const Sm90Params& p, const SharedTiles<Cfg>& smem, int consumer) {
  const ThreadPosition at(int(threadIdx.x) % kWarpgroupThreads);
  const PingpongSchedule<Cfg::kConsumers> schedule{consumer};
  const bool leader = at.warp == 0 && at.lane == 0;
  const uint32_t oRows = smem.o() + consumer * kRowsPerConsumer * kBoxRowBytes;
  const int tiles = p.mBlocks * p.heads;
  int ring = 0, local = 0;
  for (int t = int(blockIdx.x); t < tiles; t += int(gridDim.x), ++local) {
    const TileCoordinates tile = persistentTile<Cfg, kCausal>(p, t);
    float o[Cfg::kHeadDim / 2];
    RowStats stats;
    schedule.open(tile.keyTiles);
    overlappedMainloop<Cfg, kCausal, true>(p, smem, tile, consumer, schedule, ring, uint32_t(local) & 1u, at, o, stats);
    ring += tile.keyTiles;
    // The previous tile's store must have read the staging buffer before it is overwritten.
    if (leader) tmaStoreWaitRead();
    namedBarrierSync(1 + consumer, kWarpgroupThreads);
    writeOStaging<Cfg>(o, stats, oRows, at);
    namedBarrierSync(1 + consumer, kWarpgroupThreads);
    if (leader) issueOStore<Cfg>(p, oRows, tile.m0 + kRowsPerConsumer * consumer, tile.head);
  }
  if (leader) tmaStoreWaitRead();  // shared memory must outlive the last store's reads
}

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V5(const __grid_constant__ Sm90Params p) {
  static_assert(Cfg::kProducerWarpgroup && Cfg::kPersistent, "version 5 is persistent with a producer warpgroup");
  warpSpecialized<Cfg>([&p](const SharedTiles<Cfg>& smem) { producePersistent<Cfg, kCausal>(p, smem); },
                       [&p](const SharedTiles<Cfg>& smem, int consumer) { consumePersistent<Cfg, kCausal>(p, smem, consumer); });
}

// One CTA per SM (the tiles need all of an SM's shared memory), never more CTAs than tiles.
template <class Cfg>
dim3 persistentGrid(const Sm90Params& p) {
  int device = 0, sms = 0;
  if (cudaGetDevice(&device) != cudaSuccess || cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess || sms < 1) sms = 1;
  const long long tiles = (long long)p.mBlocks * p.heads;
  return dim3(unsigned(tiles < sms ? tiles : sms));
}

struct Sm90V5 : Sm90V4 {
  // Version 4's consumers and 128-key tiles, plus a staging buffer for O: 192 KB at D = 128.
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, D == 64 ? 3 : 2, 128, 2, true, true>;
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V5<Cfg, kCausal>); }
  template <class Cfg>
  static dim3 grid(const Sm90Params& p, const ratchet_attention_params&) {
    return persistentGrid<Cfg>(p);
  }
};

}  // namespace ratchet::kernels::sm90
