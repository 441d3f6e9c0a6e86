// flash_sm90_v3.cuh: version 3 of the Hopper forward: softmax overlapped with the GEMMs inside
// each consumer warpgroup (FA3's intra-warpgroup pipelining).
//
// Idea: in version 2 a warpgroup's tensor cores idle while it computes exp2 (at D = 64 the
// softmax costs about as much as both GEMMs). Here iteration j issues S_j = Q K_j^T and
// O += P_{j-1} V_{j-1} back to back, waits only for the first (wgmma.wait_group 1), and computes
// the softmax of S_j while the P V product still runs; O is rescaled by the new max once that
// product has landed, and P_j is packed for the next iteration. S_j, P_{j-1} and O live at once,
// so this needs the large register budget (2 consumers x 240 at D = 128).
#pragma once

#include "flash_sm90_v2.cuh"

namespace ratchet::kernels::sm90 {

// Pingpong hook: kSchedule is a no-op here; version 4 orders the warpgroups' GEMM issue with it.
struct NoSchedule {
  __device__ void beforeIssue(int, int) const {}
  __device__ void afterIssue(int, int) const {}
};

// One tile's mainloop for one consumer warpgroup, overlapped; leaves O and the row statistics in
// registers. `ring` is the K/V ring slot of the tile's first key tile, `qParity` the phase of Q's
// full barrier; with kReleaseQ each warp releases Q once its last S GEMM is done (persistent CTAs
// load the next tile's Q then).
template <class Cfg, bool kCausal, bool kReleaseQ, class Schedule>
__device__ __forceinline__ void overlappedMainloop(const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile, int consumer,
                                                   const Schedule& schedule, int ring, uint32_t qParity, const ThreadPosition& at,
                                                   float (&o)[Cfg::kHeadDim / 2], RowStats& stats) {
  const int warpgroupRow0 = tile.m0 + kRowsPerConsumer * consumer;
  const uint32_t qRows = smem.q() + consumer * kRowsPerConsumer * kBoxRowBytes;
#pragma unroll
  for (int i = 0; i < Cfg::kHeadDim / 2; ++i) o[i] = 0.f;
  stats = RowStats{};
  float s[Cfg::kBlockN / 2];
  uint32_t pFragments[Cfg::kBlockN / 16][4];
  float correction[2];
  mbarrierWait(smem.qFull(), qParity);

  // Tile 0: its S alone (there is no P V to overlap with yet).
  qkAlone(s, qRows, smem, RingSlot<Cfg>(ring), at);
  softmaxStep<Cfg, kCausal>(s, stats, correction, p, 0, warpgroupRow0, at);
  packP<Cfg>(s, pFragments);

  for (int j = 1; j < tile.keyTiles; ++j) {
    const RingSlot<Cfg> current(ring + j), previous(ring + j - 1);
    mbarrierWait(smem.kFull(current.stage), current.parity);
    mbarrierWait(smem.vFull(previous.stage), previous.parity);
    schedule.beforeIssue(j, tile.keyTiles);
    wgmmaFence();
    issueQK<Cfg>(s, qRows, smem.k(current.stage));
    wgmmaCommit();
    issuePV<Cfg>(o, pFragments, smem.v(previous.stage));
    wgmmaCommit();
    schedule.afterIssue(j, tile.keyTiles);
    wgmmaWait<1>();  // S_j landed; P_{j-1} V_{j-1} may still run
    fenceRegisters(s);
    releaseStage(smem.kEmpty(current.stage), at);
    softmaxStep<Cfg, kCausal>(s, stats, correction, p, j * Cfg::kBlockN, warpgroupRow0, at);
    wgmmaWait<0>();
    fenceRegisters(o);
    fenceRegisters(pFragments);
    releaseStage(smem.vEmpty(previous.stage), at);
    rescaleO<Cfg>(o, correction);
    packP<Cfg>(s, pFragments);
  }
  if constexpr (kReleaseQ) releaseStage(smem.qEmpty(), at);

  pvAlone(o, pFragments, smem, RingSlot<Cfg>(ring + tile.keyTiles - 1), at);
}

// One tile per CTA: the mainloop, then O through Q's buffer.
template <class Cfg, bool kCausal, class Schedule>
__device__ __forceinline__ void consumeOverlapped(const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile, int consumer,
                                                  const Schedule& schedule) {
  const ThreadPosition at(int(threadIdx.x) % kWarpgroupThreads);
  float o[Cfg::kHeadDim / 2];
  RowStats stats;
  overlappedMainloop<Cfg, kCausal, false>(p, smem, tile, consumer, schedule, 0, 0, at, o, stats);
  const uint32_t oRows = smem.o() + consumer * kRowsPerConsumer * kBoxRowBytes;
  storeO<Cfg>(p, o, stats, oRows, tile.m0 + kRowsPerConsumer * consumer, tile.head, at, 1 + consumer);
}

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V3(const __grid_constant__ Sm90Params p) {
  static_assert(Cfg::kProducerWarpgroup, "version 3 has a producer warpgroup");
  const TileCoordinates tile = tileOfBlock<Cfg, kCausal>(p);
  warpSpecialized<Cfg>([&p, tile](const SharedTiles<Cfg>& smem) { produceTile(p, smem, tile); },
                       [&p, tile](const SharedTiles<Cfg>& smem, int consumer) { consumeOverlapped<Cfg, kCausal>(p, smem, tile, consumer, NoSchedule{}); });
}

struct Sm90V3 : Sm90V2 {
  // D = 128: 2 consumers x 64 rows at 240 registers (S, P and O of 128 keys x 128 d live at once);
  // D = 64: 3 consumers x 64 rows at 160. 128-key tiles, 2 stages.
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, D == 64 ? 3 : 2, 128, 2, true>;
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V3<Cfg, kCausal>); }
};

}  // namespace ratchet::kernels::sm90
