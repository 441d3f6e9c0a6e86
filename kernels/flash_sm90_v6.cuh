// flash_sm90_v6.cuh: version 6 of the Hopper forward: the tile boundary pipelined away.
//
// Idea: version 5's consumers still stop at every tile boundary: the first S GEMM and its
// softmax run with no P V behind them, and the last P V and the epilogue with no S GEMM behind
// them. At S = 512 that is two of a tile's five GEMM rounds. Here a consumer warpgroup treats its
// tiles as one stream of key tiles: at a boundary it issues the last P V of tile t together with
// the first S GEMM of tile t + 1, stores tile t's O while that S GEMM runs, then starts tile t + 1's
// softmax. For that the next Q must already be in hand, so Q moves into registers (ldmatrix from
// the swizzled tile, the S GEMM becomes register-sourced): each warpgroup copies its 64 rows as
// soon as they land and releases Q's buffer at once, and the producer loads the next tile's Q a
// whole tile ahead. It also takes Q's reads off shared memory, which every GEMM round shares with
// TMA and the K and V reads. The pingpong turns run on across tiles too (one token passed round
// the consumers; the first consumer takes it back after the last turn, so every barrier
// balances). Schedule and epilogue as in version 5. Where the next tile comes from and the online
// softmax are policies (StrideTiles, EagerSoftmax here), so that versions 7 and 8 change one each.
#pragma once

#include "flash_sm90_v5.cuh"

namespace ratchet::kernels::sm90 {

// This warpgroup's 64 rows of Q as wgmma A fragments, one per 16 columns of d: ldmatrix.x4 reads
// rows 0-15 of the warp's slice at two 16-byte chunks (8 columns each) of the swizzled box.
template <class Cfg>
__device__ __forceinline__ void loadQFragments(uint32_t (&q)[Cfg::kHeadDim / 16][4], uint32_t qRows, const ThreadPosition& at) {
  const int row = 16 * at.warp + at.lane % 16;
#pragma unroll
  for (int ks = 0; ks < Cfg::kHeadDim / 16; ++ks) {
    const int chunk = (ks % 4) * 2 + at.lane / 16;
    const uint32_t address = qRows + (ks / 4) * Cfg::kQBoxBytes + row * kBoxRowBytes + ((chunk ^ (row % 8)) << 4);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(q[ks][0]), "=r"(q[ks][1]), "=r"(q[ks][2]), "=r"(q[ks][3])
                 : "r"(address)
                 : "memory");
  }
}

// The pingpong token, passed round the consumers once per issue turn for the CTA's whole life.
template <int kConsumers>
struct TokenRing {
  static constexpr int kFirstBarrier = PingpongSchedule<kConsumers>::kFirstBarrier;
  static constexpr int kTurnThreads = 2 * kWarpgroupThreads;
  int consumer;
  bool active;  // false when the CTA has a single key tile: no turns at all
  __device__ void open() const {
    if (active && consumer == 0) namedBarrierArrive(kFirstBarrier, kTurnThreads);
  }
  __device__ void beforeIssue() const { namedBarrierSync(kFirstBarrier + consumer, kTurnThreads); }
  __device__ void afterIssue() const { namedBarrierArrive(kFirstBarrier + (consumer + 1) % kConsumers, kTurnThreads); }
  // The last consumer's last pass is answered here.
  __device__ void close() const {
    if (active && consumer == 0) namedBarrierSync(kFirstBarrier, kTurnThreads);
  }
};

// Per consumer warpgroup: where it is in the CTA's stream of tiles and key tiles.
template <class Cfg>
struct StreamState {
  uint32_t q[Cfg::kHeadDim / 16][4];
  float s[Cfg::kBlockN / 2];
  uint32_t pFragments[Cfg::kBlockN / 16][4];
  float o[Cfg::kHeadDim / 2];
  RowStats stats;
};

// Waits for tile `local`'s Q, copies this warpgroup's rows into registers, releases the buffer
// (the warp's loads are ordered before lane 0's arrival by __syncwarp; the fence orders them
// before the TMA that overwrites the buffer).
template <class Cfg>
__device__ __forceinline__ void takeQ(StreamState<Cfg>& st, const SharedTiles<Cfg>& smem, int consumer, int local, const ThreadPosition& at) {
  mbarrierWait(smem.qFull(), uint32_t(local) & 1u);
  loadQFragments<Cfg>(st.q, smem.q() + consumer * kRowsPerConsumer * kBoxRowBytes, at);
  __syncwarp();
  fenceProxyAsync();
  releaseStage(smem.qEmpty(), at);
}

// Where the next tile comes from: a schedule policy. Here (versions 5-7) the static stride, CTA b
// taking tiles b, b + G, b + 2G, ... (G = gridDim.x); version 8 claims them from a counter.
//   produceNext: the producer's next tile index (at or past `tiles`: none), once the consumers
//     have released tile `local`'s Q buffer or before (then waitQEmpty waits for that);
//   noNextQ: what the producer does instead of loading a next Q;
//   loopsOn, stopsAfter: where the producer's loop ends, at its head (tile t past the end: the
//     stride) or right after the last tile's loads (`more` false: the counter); either would do
//     for both, each keeps the machine code its versions had;
//   mayTurn: whether the consumers' pingpong ring may turn at all;
//   consumeNext: the consumers' view of the tile after t.
// The shared tiles go by value: a reference here changed the consumers' machine code.
struct StrideTiles {
  template <class Cfg>
  __device__ __forceinline__ static int produceNext(const Sm90Params&, SharedTiles<Cfg>, int t, int, int) {
    return t + int(gridDim.x);
  }
  template <class Cfg>
  __device__ __forceinline__ static void waitQEmpty(SharedTiles<Cfg> smem, int local) {
    mbarrierWait(smem.qEmpty(), uint32_t(local) & 1u);
  }
  template <class Cfg>
  __device__ __forceinline__ static void noNextQ(SharedTiles<Cfg>) {}
  __device__ __forceinline__ static bool loopsOn(int t, int tiles) { return t < tiles; }
  __device__ __forceinline__ static bool stopsAfter(bool) { return false; }
  __device__ __forceinline__ static bool mayTurn(int keyTiles, int t, int tiles) { return keyTiles > 1 || t + int(gridDim.x) < tiles; }
  template <class Cfg>
  __device__ __forceinline__ static int consumeNext(SharedTiles<Cfg>, int t, int) { return t + int(gridDim.x); }
};

// The producer: as version 5's, but each tile's successor's Q is loaded a whole tile ahead, once
// the consumers have copied this tile's Q. Before that wait it loads the tile's first kStages - 1
// key tiles (one with a 2-stage ring): their slots free up before the consumers reach the tile,
// so the next Q leaves no later, and the wait no longer holds the ring back. Loading only the
// first key tile before it cost 5% at B32 H8 S512 D64 on an H200 (2026-12-06, dev version 12):
// at the kernel's start key tile 1 waited for a DRAM round trip of Q and the consumers' copy.
template <class Cfg, bool kCausal, class Scheduler>
__device__ __forceinline__ void produceAhead(const Sm90Params& p, const SharedTiles<Cfg>& smem) {
  if (threadIdx.x != 0) return;
  prefetchTensorMaps(p);
  const int tiles = p.mBlocks * p.heads;
  constexpr int kAhead = Cfg::kStages > 2 ? Cfg::kStages - 1 : 1;
  int slot = 0;
  int t = int(blockIdx.x);
  TileCoordinates tile = persistentTile<Cfg, kCausal>(p, t);
  loadQ(p, smem, tile);
  for (int local = 0; Scheduler::loopsOn(t, tiles); ++local) {
    // A tile has at least one key tile; spelled out for a 2-stage ring so its code stays version 6's.
    const int ahead = kAhead == 1 ? 1 : min(tile.keyTiles, kAhead);
    loadKV(p, smem, tile, 0, slot);
    for (int j = 1; j < ahead; ++j) loadKV(p, smem, tile, j, slot + j);
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

// The online softmax on the stream, a policy: version 6's is the eager one of
// flash_sm90_softmax.cuh (O rescaled after every key tile); version 7 makes it lazy.
//   first: a tile's first key tile (fresh statistics);
//   next: key tile j > 0 (n0 its first key); returns whether O must be multiplied by `correction`.
struct EagerSoftmax {
  template <class Cfg, bool kCausal>
  __device__ __forceinline__ static void first(float (&s)[Cfg::kBlockN / 2], RowStats& stats, const Sm90Params& p, int warpgroupRow0, const ThreadPosition& at) {
    float correction[2];
    stats = RowStats{};
    softmaxStep<Cfg, kCausal>(s, stats, correction, p, 0, warpgroupRow0, at);
  }
  template <class Cfg, bool kCausal>
  __device__ __forceinline__ static bool next(float (&s)[Cfg::kBlockN / 2], RowStats& stats, float (&correction)[2], const Sm90Params& p, int n0,
                                              int warpgroupRow0, const ThreadPosition& at) {
    softmaxStep<Cfg, kCausal>(s, stats, correction, p, n0, warpgroupRow0, at);
    return true;
  }
};

// Softmax of a tile's first key tile, O cleared, P packed.
template <class Cfg, bool kCausal, class Softmax>
__device__ __forceinline__ void startTile(StreamState<Cfg>& st, const Sm90Params& p, const TileCoordinates& tile, int consumer, const ThreadPosition& at) {
  Softmax::template first<Cfg, kCausal>(st.s, st.stats, p, tile.m0 + kRowsPerConsumer * consumer, at);
#pragma unroll
  for (int i = 0; i < Cfg::kHeadDim / 2; ++i) st.o[i] = 0.f;
  packP<Cfg>(st.s, st.pFragments);
}

// One pingpong turn: once key tile `k`'s K and key tile `v`'s V have landed, S = Q K^T and
// O += P V issued together, P V first at a tile boundary (kPVFirst: wait_group 1 then leaves this
// tile's O complete while the next tile's S runs), S first inside a tile.
template <class Cfg, bool kPVFirst>
__device__ __forceinline__ void issueTurn(StreamState<Cfg>& st, SharedTiles<Cfg> smem, const TokenRing<Cfg::kConsumers>& ring, RingSlot<Cfg> k, RingSlot<Cfg> v) {
  mbarrierWait(smem.kFull(k.stage), k.parity);
  mbarrierWait(smem.vFull(v.stage), v.parity);
  ring.beforeIssue();
  wgmmaFence();
  if constexpr (kPVFirst) {
    issuePV<Cfg>(st.o, st.pFragments, smem.v(v.stage));
    wgmmaCommit();
  }
  issueQK<Cfg>(st.s, st.q, smem.k(k.stage));
  wgmmaCommit();
  if constexpr (!kPVFirst) {
    issuePV<Cfg>(st.o, st.pFragments, smem.v(v.stage));
    wgmmaCommit();
  }
  ring.afterIssue();
}

// Key tiles 1 .. n-1 of the current tile (ring slots ring + 1 ..), each one pingpong turn.
template <class Cfg, bool kCausal, class Softmax>
__device__ __forceinline__ void innerSteps(StreamState<Cfg>& st, const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile, int consumer,
                                           const TokenRing<Cfg::kConsumers>& ring, int slot, const ThreadPosition& at) {
  for (int j = 1; j < tile.keyTiles; ++j) {
    const RingSlot<Cfg> current(slot + j), previous(slot + j - 1);
    issueTurn<Cfg, false>(st, smem, ring, current, previous);
    wgmmaWait<1>();
    fenceRegisters(st.s);
    releaseStage(smem.kEmpty(current.stage), at);
    float correction[2];
    const bool rescale = Softmax::template next<Cfg, kCausal>(st.s, st.stats, correction, p, j * Cfg::kBlockN, tile.m0 + kRowsPerConsumer * consumer, at);
    wgmmaWait<0>();
    fenceRegisters(st.o);
    fenceRegisters(st.pFragments);
    releaseStage(smem.vEmpty(previous.stage), at);
    if (rescale) rescaleO<Cfg>(st.o, correction);
    packP<Cfg>(st.s, st.pFragments);
  }
}

// O of a finished tile into the staging buffer and out by TMA (the previous store must have read
// the buffer first).
template <class Cfg>
__device__ __forceinline__ void storeTile(const StreamState<Cfg>& st, const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile, int consumer,
                                          const ThreadPosition& at) {
  const bool leader = at.warp == 0 && at.lane == 0;
  const uint32_t oRows = smem.o() + consumer * kRowsPerConsumer * kBoxRowBytes;
  if (leader) tmaStoreWaitRead();
  namedBarrierSync(1 + consumer, kWarpgroupThreads);
  writeOStaging<Cfg>(st.o, st.stats, oRows, at);
  namedBarrierSync(1 + consumer, kWarpgroupThreads);
  if (leader) issueOStore<Cfg>(p, oRows, tile.m0 + kRowsPerConsumer * consumer, tile.head);
}

// A consumer warpgroup's stream of tiles: `Softmax` the online softmax, `Scheduler` where the next
// tile comes from.
template <class Cfg, bool kCausal, class Softmax, class Scheduler>
__device__ __forceinline__ void consumeStream(const Sm90Params& p, const SharedTiles<Cfg>& smem, int consumer) {
  const ThreadPosition at(int(threadIdx.x) % kWarpgroupThreads);
  const int tiles = p.mBlocks * p.heads;
  int t = int(blockIdx.x), local = 0, slot = 0;
  TileCoordinates tile = persistentTile<Cfg, kCausal>(p, t);
  const TokenRing<Cfg::kConsumers> ring{consumer, Scheduler::mayTurn(tile.keyTiles, t, tiles)};
  StreamState<Cfg> st;
  ring.open();

  // The stream's first S GEMM, alone.
  takeQ(st, smem, consumer, local, at);
  qkAlone(st.s, st.q, smem, RingSlot<Cfg>(slot), at);
  startTile<Cfg, kCausal, Softmax>(st, p, tile, consumer, at);

  while (true) {
    innerSteps<Cfg, kCausal, Softmax>(st, p, smem, tile, consumer, ring, slot, at);
    const RingSlot<Cfg> lastV(slot + tile.keyTiles - 1);
    const int next = Scheduler::consumeNext(smem, t, local);
    if (next >= tiles) {
      pvAlone(st.o, st.pFragments, smem, lastV, at);
      storeTile<Cfg>(st, p, smem, tile, consumer, at);
      break;
    }
    // The boundary: tile t's last P V and tile t + 1's first S GEMM in one turn.
    const TileCoordinates nextTile = persistentTile<Cfg, kCausal>(p, next);
    takeQ(st, smem, consumer, local + 1, at);
    const RingSlot<Cfg> firstK(slot + tile.keyTiles);
    issueTurn<Cfg, true>(st, smem, ring, firstK, lastV);
    wgmmaWait<1>();  // tile t's O is complete; tile t + 1's S may still run
    fenceRegisters(st.o);
    fenceRegisters(st.pFragments);
    releaseStage(smem.vEmpty(lastV.stage), at);
    storeTile<Cfg>(st, p, smem, tile, consumer, at);
    wgmmaWait<0>();
    fenceRegisters(st.s);
    releaseStage(smem.kEmpty(firstK.stage), at);
    slot += tile.keyTiles;
    ++local;
    t = next;
    tile = nextTile;
    startTile<Cfg, kCausal, Softmax>(st, p, tile, consumer, at);
  }
  ring.close();
  if (at.warp == 0 && at.lane == 0) tmaStoreWaitRead();  // shared memory must outlive the last store's reads
}

// The kernel body of versions 6-8: the producer a tile ahead, the consumers' stream.
template <class Cfg, bool kCausal, class Softmax, class Scheduler>
__device__ __forceinline__ void streamKernel(const Sm90Params& p) {
  static_assert(Cfg::kProducerWarpgroup && Cfg::kPersistent, "the stream is persistent with a producer warpgroup");
  warpSpecialized<Cfg>([&p](const SharedTiles<Cfg>& smem) { produceAhead<Cfg, kCausal, Scheduler>(p, smem); },
                       [&p](const SharedTiles<Cfg>& smem, int consumer) { consumeStream<Cfg, kCausal, Softmax, Scheduler>(p, smem, consumer); });
}

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V6(const __grid_constant__ Sm90Params p) {
  streamKernel<Cfg, kCausal, EagerSoftmax, StrideTiles>(p);
}

struct Sm90V6 : Sm90V5 {
  // Two consumers at 240 registers for both head dims: S, P, O and Q in registers overflow the
  // 160 of three consumers at D = 64 (ptxas spills). 128-key tiles; three stages at D = 64.
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, 2, 128, D == 64 ? 3 : 2, true, true>;
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V6<Cfg, kCausal>); }
};

}  // namespace ratchet::kernels::sm90
