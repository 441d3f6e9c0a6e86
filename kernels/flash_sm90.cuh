// flash_sm90.cuh: what every Hopper (sm_90a) flash-attention forward version shares: the tile
// configuration, the shared-memory layout, the kernel parameters (TMA tensor maps), the loads and
// the two GEMMs on wgmma; flash_sm90_softmax.cuh adds the online softmax and the TMA epilogue,
// flash_sm90_launch.cuh the host side. The versions (flash_sm90_v*.cuh) differ only in how they
// schedule these pieces.
//
// Computes O = softmax(Q K^T * scale) V for Q, K, V, O laid out [B, H, S, D], contiguous, fp16
// or bf16, D in {64, 128}, causal (query i sees keys 0..i) or not, any S >= 1, fp32 accumulation.
//
// Layout: a CTA owns kBlockM = 64 * kConsumers query rows of one (batch, head); each consumer
// warpgroup owns 64 of them, the M of one wgmma. Key/value tiles of kBlockN rows stream through a
// ring of kStages shared-memory stages. Every tile is loaded by TMA through a 3-D tensor map
// (D, S, B*H): rows past S inside a head are outside dimension 1, so TMA fills them with zeros
// instead of reading the next head, and the O store drops them. Tiles are 128-byte swizzled boxes
// of 64 elements per row (D = 128 is two boxes), the layout wgmma descriptors read directly.
//   S = Q K^T: wgmma m64n{kBlockN}k16, A = Q and B = K both from shared memory (K-major).
//   O += P V:  wgmma m64n{D}k16, A = P from registers (the S accumulator re-packed to 16 bits:
//              its m16n8 layout is the A fragment's), B = V from shared memory, transposed.
// Softmax: exp2 with scale * log2(e) folded into one FFMA, running max and sum per row, O rescaled
// by the change of the max; tail keys (>= S) masked on the last tile, causal masking only on the
// tiles that cross the diagonal; rows whose keys are all masked so far keep max -inf and use 0.
#pragma once

#include <cuda.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "attention.h"
#include "hopper.cuh"
#include "wgmma.cuh"

namespace ratchet::kernels::sm90 {

// 64 rows per consumer warpgroup: the M of wgmma.
constexpr int kRowsPerConsumer = 64;
constexpr int kWarpgroupThreads = 128;
// A TMA box row and a swizzle row: 64 16-bit elements, 128 bytes.
constexpr int kBoxColumns = 64;
constexpr int kBoxRowBytes = 128;

// Shaped like FlashConfig (flash_fwd.cuh) on purpose: each kernel family's configuration stands alone.
template <typename Element_, int kHeadDim_, int kConsumers_, int kBlockN_, int kStages_, bool kProducerWarpgroup_, bool kPersistent_ = false>
struct Sm90Config {
  using Element = Element_;
  static constexpr int kHeadDim = kHeadDim_;
  static constexpr int kConsumers = kConsumers_;
  static constexpr int kBlockN = kBlockN_;
  static constexpr int kStages = kStages_;
  // With a producer warpgroup (warp specialization) it is warpgroup 0; without one, thread 0 of
  // the first consumer issues the loads between its own tiles.
  static constexpr bool kProducerWarpgroup = kProducerWarpgroup_;
  // Persistent CTAs loop over tiles: the next Q loads while O is stored, so O is staged in its own
  // buffer (not in Q's) and Q gets an empty barrier.
  static constexpr bool kPersistent = kPersistent_;
  static constexpr int kBlockM = kRowsPerConsumer * kConsumers;
  static constexpr int kThreads = kWarpgroupThreads * (kConsumers + (kProducerWarpgroup ? 1 : 0));
  static constexpr int kBoxes = kHeadDim / kBoxColumns;
  static constexpr uint32_t kQBoxBytes = kBlockM * kBoxRowBytes;
  static constexpr uint32_t kKVBoxBytes = kBlockN * kBoxRowBytes;
  static constexpr uint32_t kQBytes = kBoxes * kQBoxBytes;
  static constexpr uint32_t kKVBytes = kBoxes * kKVBoxBytes;  // one K (or V) stage
  // Shared memory from a 1024-byte aligned base: Q, the K stages, the V stages, O (persistent
  // only; otherwise O reuses Q's buffer), the barriers.
  static constexpr uint32_t kKOffset = kQBytes;
  static constexpr uint32_t kVOffset = kKOffset + kStages * kKVBytes;
  static constexpr uint32_t kOOffset = kVOffset + kStages * kKVBytes;
  static constexpr uint32_t kBarrierOffset = kOOffset + (kPersistent ? kQBytes : 0);
  static constexpr int kBarriers = 2 + 4 * kStages;  // qFull, qEmpty, kFull[], vFull[], kEmpty[], vEmpty[]
  static constexpr uint32_t kSmemBytes = kBarrierOffset + 8 * kBarriers + 1024;  // + alignment slack
  static_assert(kHeadDim == 64 || kHeadDim == 128, "head dim is one or two 128-byte boxes");
  static_assert(kBlockN % 16 == 0 && kBlockN <= 256 && kBlockM <= 256, "TMA boxes are at most 256 rows; wgmma steps 16 keys");
  static_assert(kSmemBytes <= 227 * 1024, "an H100/H200 CTA has at most 227 KB of shared memory");
};

// The kernel's only parameter: passed by value as a __grid_constant__, so the tensor maps stay in
// parameter space where TMA reads them.
struct Sm90Params {
  CUtensorMap q, k, v, o;  // (D, S, B*H): boxes of 64 x kBlockM (q), 64 x kBlockN (k, v), 64 x 64 (o)
  int S;
  int H;
  int mBlocks;       // ceil(S / kBlockM)
  int heads;         // B * H
  int sectionHeads;  // persistent causal schedule: heads whose K and V fit in a share of the L2 together (sectionL2Share)
  float scaleLog2;   // scale * log2(e): exp(x * scale) = exp2(x * scaleLog2)
  int tileCounterSlot;  // versions that draw tiles from a counter (version 8): this launch's counter
};

// Tile counters for launches that may run at once (version 8; one per stream of a device).
constexpr int kTileCounterSlots = 1024;

// Where a CTA's tile sits and how many key tiles it reads.
struct TileCoordinates {
  int m0;     // first query row
  int head;   // batch * H + head: the TMA coordinate of dimension 2
  int keyTiles;
};

// Non-persistent grid (mBlocks, H, B). Causal: the last query tiles see the most keys; running
// them first keeps the tail of the grid short.
template <class Cfg, bool kCausal>
__device__ __forceinline__ TileCoordinates tileOfBlock(const Sm90Params& p) {
  TileCoordinates t;
  const int mBlock = kCausal ? p.mBlocks - 1 - int(blockIdx.x) : int(blockIdx.x);
  t.m0 = mBlock * Cfg::kBlockM;
  t.head = int(blockIdx.z) * p.H + int(blockIdx.y);
  const int keyEnd = kCausal ? min(p.S, t.m0 + Cfg::kBlockM) : p.S;
  t.keyTiles = (keyEnd + Cfg::kBlockN - 1) / Cfg::kBlockN;
  return t;
}

// Shared-memory addresses (32-bit, shared window) of one CTA's tiles and barriers.
template <class Cfg>
struct SharedTiles {
  uint32_t base;
  __device__ explicit SharedTiles(const void* raw) : base((sharedAddress(raw) + 1023u) & ~1023u) {}
  __device__ uint32_t q() const { return base; }
  __device__ uint32_t k(int stage) const { return base + Cfg::kKOffset + stage * Cfg::kKVBytes; }
  __device__ uint32_t v(int stage) const { return base + Cfg::kVOffset + stage * Cfg::kKVBytes; }
  __device__ uint32_t o() const { return Cfg::kPersistent ? base + Cfg::kOOffset : q(); }
  __device__ uint32_t barrier(int index) const { return base + Cfg::kBarrierOffset + 8 * index; }
  __device__ uint32_t qFull() const { return barrier(0); }
  __device__ uint32_t qEmpty() const { return barrier(1); }
  __device__ uint32_t kFull(int stage) const { return barrier(2 + stage); }
  __device__ uint32_t vFull(int stage) const { return barrier(2 + Cfg::kStages + stage); }
  __device__ uint32_t kEmpty(int stage) const { return barrier(2 + 2 * Cfg::kStages + stage); }
  __device__ uint32_t vEmpty(int stage) const { return barrier(2 + 3 * Cfg::kStages + stage); }
};

// A position in the K/V ring: the ring-th key tile this CTA loads (it runs on across a persistent
// CTA's tiles), its stage and the parity of that stage's current round.
template <class Cfg>
struct RingSlot {
  int stage;
  uint32_t parity;
  __device__ explicit RingSlot(int ring) : stage(ring % Cfg::kStages), parity(uint32_t(ring / Cfg::kStages) & 1u) {}
};

// Empty barriers count one arrival per consumer warp: a warp arrives once its own part of the
// warpgroup's wgmma has completed (wgmma.wait_group is per warp).
template <class Cfg>
__device__ __forceinline__ void initBarriers(const SharedTiles<Cfg>& smem) {
  mbarrierInit(smem.qFull(), 1);
  mbarrierInit(smem.qEmpty(), 4 * Cfg::kConsumers);
  for (int s = 0; s < Cfg::kStages; ++s) {
    mbarrierInit(smem.kFull(s), 1);
    mbarrierInit(smem.vFull(s), 1);
    mbarrierInit(smem.kEmpty(s), 4 * Cfg::kConsumers);
    mbarrierInit(smem.vEmpty(s), 4 * Cfg::kConsumers);
  }
  fenceBarrierInit();
}

// ---- producer side (one thread)

// The loads' tensor maps into the TMA unit's cache, before the first load.
__device__ __forceinline__ void prefetchTensorMaps(const Sm90Params& p) {
  prefetchTensorMap(&p.q);
  prefetchTensorMap(&p.k);
  prefetchTensorMap(&p.v);
}

template <class Cfg>
__device__ __forceinline__ void loadQ(const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile) {
  mbarrierArriveExpectTx(smem.qFull(), Cfg::kQBytes);
#pragma unroll
  for (int b = 0; b < Cfg::kBoxes; ++b) tmaLoad3d(smem.q() + b * Cfg::kQBoxBytes, &p.q, b * kBoxColumns, tile.m0, tile.head, smem.qFull());
}

// Key tile j into ring slot `ring`, K then V, each once the consumers have released the stage's
// previous tile (parity of the round before; a fresh ring passes at once).
template <class Cfg>
__device__ __forceinline__ void loadKV(const Sm90Params& p, const SharedTiles<Cfg>& smem, const TileCoordinates& tile, int j, int ring) {
  const int stage = RingSlot<Cfg>(ring).stage;
  const uint32_t parity = RingSlot<Cfg>(ring).parity ^ 1u;
  mbarrierWait(smem.kEmpty(stage), parity);
  mbarrierArriveExpectTx(smem.kFull(stage), Cfg::kKVBytes);
#pragma unroll
  for (int b = 0; b < Cfg::kBoxes; ++b) tmaLoad3d(smem.k(stage) + b * Cfg::kKVBoxBytes, &p.k, b * kBoxColumns, j * Cfg::kBlockN, tile.head, smem.kFull(stage));
  mbarrierWait(smem.vEmpty(stage), parity);
  mbarrierArriveExpectTx(smem.vFull(stage), Cfg::kKVBytes);
#pragma unroll
  for (int b = 0; b < Cfg::kBoxes; ++b) tmaLoad3d(smem.v(stage) + b * Cfg::kKVBoxBytes, &p.v, b * kBoxColumns, j * Cfg::kBlockN, tile.head, smem.vFull(stage));
}

// ---- consumer side (one warpgroup, 64 query rows)

// Where this thread's accumulator elements sit in the warpgroup's 64 rows.
struct ThreadPosition {
  int warp;  // 0..3 within the warpgroup: rows 16 * warp ..
  int lane;
  int group;  // lane / 4: row within the warp's 16 (and + 8)
  int quad;   // lane % 4: column pair within an n8 block
  __device__ explicit ThreadPosition(int threadInWarpgroup)
      : warp(threadInWarpgroup / 32), lane(threadInWarpgroup % 32), group((threadInWarpgroup % 32) / 4), quad(threadInWarpgroup % 4) {}
};

template <class Cfg>
__device__ __forceinline__ bool tileNeedsMask(bool causal, int n0, int firstRow, int S) {
  return n0 + Cfg::kBlockN > S || (causal && n0 + Cfg::kBlockN - 1 > firstRow);
}

// S = Q K^T for this warpgroup's 64 rows (qRows: its slice of box 0) and one K stage; issued, not
// waited for.
template <class Cfg>
__device__ __forceinline__ void issueQK(float (&s)[Cfg::kBlockN / 2], uint32_t qRows, uint32_t kTile) {
  using Element = typename Cfg::Element;
#pragma unroll
  for (int ks = 0; ks < Cfg::kHeadDim / 16; ++ks) {
    // 16 elements = 32 bytes per k step; four steps per 128-byte box row.
    const uint32_t inBox = (ks % 4) * 32;
    const uint64_t a = kMajorDescriptor(qRows + (ks / 4) * Cfg::kQBoxBytes + inBox);
    const uint64_t b = kMajorDescriptor(kTile + (ks / 4) * Cfg::kKVBoxBytes + inBox);
    Wgmma<Cfg::kBlockN>::template ss<Element>(s, a, b, ks > 0);
  }
}

// The same with Q from registers (version 6 on: wgmma A fragments, one per 16 columns of d).
template <class Cfg>
__device__ __forceinline__ void issueQK(float (&s)[Cfg::kBlockN / 2], const uint32_t (&q)[Cfg::kHeadDim / 16][4], uint32_t kTile) {
  using Element = typename Cfg::Element;
#pragma unroll
  for (int ks = 0; ks < Cfg::kHeadDim / 16; ++ks) {
    const uint64_t b = kMajorDescriptor(kTile + (ks / 4) * Cfg::kKVBoxBytes + (ks % 4) * 32);
    Wgmma<Cfg::kBlockN>::template rs<Element, 0>(s, q[ks], b, ks > 0);
  }
}

// O += P V for one V stage; P as 16-bit A fragments, one per 16 keys.
template <class Cfg>
__device__ __forceinline__ void issuePV(float (&o)[Cfg::kHeadDim / 2], const uint32_t (&p)[Cfg::kBlockN / 16][4], uint32_t vTile) {
  using Element = typename Cfg::Element;
#pragma unroll
  for (int kk = 0; kk < Cfg::kBlockN / 16; ++kk) {
    const uint64_t b = mnMajorDescriptor(vTile + kk * 2 * kAtomBytes, Cfg::kKVBoxBytes);
    Wgmma<Cfg::kHeadDim>::template rs<Element, 1>(o, p[kk], b, 1);
  }
}

// One arrival per warp on an empty barrier, after the warp's wgmma reading the stage completed.
__device__ __forceinline__ void releaseStage(uint32_t emptyBarrier, const ThreadPosition& at) {
  if (at.lane == 0) mbarrierArrive(emptyBarrier);
}

// One GEMM alone, where nothing can overlap it (the serial consumers' every GEMM, a pipelined
// tile's first S and last P V): waits for its stage, issues, waits for the product, releases the
// stage. Q from shared memory (qRows) or registers, as issueQK takes it.
template <class Cfg, class QSource>
__device__ __forceinline__ void qkAlone(float (&s)[Cfg::kBlockN / 2], const QSource& q, SharedTiles<Cfg> smem, RingSlot<Cfg> slot, const ThreadPosition& at) {
  mbarrierWait(smem.kFull(slot.stage), slot.parity);
  wgmmaFence();
  issueQK<Cfg>(s, q, smem.k(slot.stage));
  wgmmaCommit();
  wgmmaWait<0>();
  fenceRegisters(s);
  releaseStage(smem.kEmpty(slot.stage), at);
}
// The P V twin of qkAlone, kept apart on purpose: its own barriers, operands and registers to fence.
template <class Cfg>
__device__ __forceinline__ void pvAlone(float (&o)[Cfg::kHeadDim / 2], uint32_t (&p)[Cfg::kBlockN / 16][4], SharedTiles<Cfg> smem, RingSlot<Cfg> slot,
                                        const ThreadPosition& at) {
  mbarrierWait(smem.vFull(slot.stage), slot.parity);
  wgmmaFence();
  issuePV<Cfg>(o, p, smem.v(slot.stage));
  wgmmaCommit();
  wgmmaWait<0>();
  fenceRegisters(o);
  fenceRegisters(p);
  releaseStage(smem.vEmpty(slot.stage), at);
}

}  // namespace ratchet::kernels::sm90
