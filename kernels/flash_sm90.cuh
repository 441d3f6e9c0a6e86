// flash_sm90.cuh: what every Hopper (sm_90a) flash-attention forward version shares: the tile
// configuration, the shared-memory layout, the kernel parameters (TMA tensor maps), the two
// GEMMs on wgmma, the online softmax on the wgmma accumulator, the TMA epilogue and the host
// launcher. The versions (flash_sm90_v*.cuh) differ only in how they schedule these pieces.
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
  int sectionHeads;  // persistent causal schedule: heads whose K and V fit in half the L2 together
  float scaleLog2;   // scale * log2(e): exp(x * scale) = exp2(x * scaleLog2)
};

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

// O += P V for one V stage; P as 16-bit A fragments, one per 16 keys.
template <class Cfg>
__device__ __forceinline__ void issuePV(float (&o)[Cfg::kHeadDim / 2], const uint32_t (&p)[Cfg::kBlockN / 16][4], uint32_t vTile) {
  using Element = typename Cfg::Element;
#pragma unroll
  for (int kk = 0; kk < Cfg::kBlockN / 16; ++kk) {
    const uint64_t b = mnMajorDescriptor(vTile + kk * 2 * kAtomBytes, Cfg::kKVBoxBytes);
    Wgmma<Cfg::kHeadDim>::template rs<Element>(o, p[kk], b, 1);
  }
}

template <typename Element>
__device__ __forceinline__ uint32_t pack(float low, float high);
template <>
__device__ __forceinline__ uint32_t pack<half>(float low, float high) {
  const __half2 h = __floats2half2_rn(low, high);
  return *reinterpret_cast<const uint32_t*>(&h);
}
template <>
__device__ __forceinline__ uint32_t pack<__nv_bfloat16>(float low, float high) {
  const __nv_bfloat162 h = __floats2bfloat162_rn(low, high);
  return *reinterpret_cast<const uint32_t*>(&h);
}

// Probabilities (fp32, S accumulator layout) to the A fragments of O += P V: n8 blocks 2kk and
// 2kk+1 are keys 16kk..16kk+15, exactly the m16n8k16 A layout.
template <class Cfg>
__device__ __forceinline__ void packP(const float (&s)[Cfg::kBlockN / 2], uint32_t (&p)[Cfg::kBlockN / 16][4]) {
#pragma unroll
  for (int kk = 0; kk < Cfg::kBlockN / 16; ++kk) {
#pragma unroll
    for (int r = 0; r < 4; ++r) p[kk][r] = pack<typename Cfg::Element>(s[8 * kk + 2 * r], s[8 * kk + 2 * r + 1]);
  }
}

// Running statistics of this thread's two rows (group and group + 8 of its warp).
struct RowStats {
  float max[2] = {-INFINITY, -INFINITY};
  float sum[2] = {0.f, 0.f};  // this thread's columns only; the quad is summed in the epilogue
};

// Masks one score tile (keys >= S; keys after the query when causal), updates the running max,
// turns s into probabilities in place and returns each row's rescale factor for O (and the sum).
// s[i] is row 8 * ((i % 4) / 2) + group, key n0 + 8 * (i / 4) + 2 * quad + (i % 2).
template <class Cfg, bool kMask, bool kCausal>
__device__ __forceinline__ void softmaxTile(float (&s)[Cfg::kBlockN / 2], RowStats& stats, float (&correction)[2], float scaleLog2, int n0,
                                            int row0, int S, const ThreadPosition& at) {
  if constexpr (kMask) {
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      // Last visible key of this row, relative to this thread's first column of the tile.
      const int lastKey = (kCausal ? min(S - 1, row0 + 8 * r) : S - 1) - n0 - 2 * at.quad;
#pragma unroll
      for (int i = 2 * r; i < Cfg::kBlockN / 2; i += 4) {
        if (8 * (i / 4) > lastKey) s[i] = -INFINITY;
        if (8 * (i / 4) + 1 > lastKey) s[i + 1] = -INFINITY;
      }
    }
  }
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float tileMax = stats.max[r];
#pragma unroll
    for (int i = 2 * r; i < Cfg::kBlockN / 2; i += 4) tileMax = fmaxf(tileMax, fmaxf(s[i], s[i + 1]));
    tileMax = fmaxf(tileMax, __shfl_xor_sync(0xffffffffu, tileMax, 1));
    tileMax = fmaxf(tileMax, __shfl_xor_sync(0xffffffffu, tileMax, 2));
    // A row with every key masked so far keeps max -inf: subtract 0 then, never inf - inf.
    const float maxScaled = tileMax == -INFINITY ? 0.f : tileMax * scaleLog2;
    correction[r] = exp2f(stats.max[r] * scaleLog2 - maxScaled);
    stats.max[r] = tileMax;
    float partialSum = 0.f;
#pragma unroll
    for (int i = 2 * r; i < Cfg::kBlockN / 2; i += 4) {
      s[i] = exp2f(fmaf(s[i], scaleLog2, -maxScaled));
      s[i + 1] = exp2f(fmaf(s[i + 1], scaleLog2, -maxScaled));
      partialSum += s[i] + s[i + 1];
    }
    stats.sum[r] = stats.sum[r] * correction[r] + partialSum;
  }
}

template <class Cfg>
__device__ __forceinline__ void rescaleO(float (&o)[Cfg::kHeadDim / 2], const float (&correction)[2]) {
#pragma unroll
  for (int i = 0; i < Cfg::kHeadDim / 2; ++i) o[i] *= correction[(i % 4) / 2];
}

// The whole softmax step on one tile: masked only when the tile reaches past S or crosses the
// diagonal (a warpgroup-uniform branch).
template <class Cfg, bool kCausal>
__device__ __forceinline__ void softmaxStep(float (&s)[Cfg::kBlockN / 2], RowStats& stats, float (&correction)[2], const Sm90Params& p, int n0,
                                            int warpgroupRow0, const ThreadPosition& at) {
  const int row0 = warpgroupRow0 + 16 * at.warp + at.group;
  if (tileNeedsMask<Cfg>(kCausal, n0, warpgroupRow0, p.S)) softmaxTile<Cfg, true, kCausal>(s, stats, correction, p.scaleLog2, n0, row0, p.S, at);
  else softmaxTile<Cfg, false, kCausal>(s, stats, correction, p.scaleLog2, n0, row0, p.S, at);
}

// One arrival per warp on an empty barrier, after the warp's wgmma reading the stage completed.
__device__ __forceinline__ void releaseStage(uint32_t emptyBarrier, const ThreadPosition& at) {
  if (at.lane == 0) mbarrierArrive(emptyBarrier);
}

// O / rowsum into this warpgroup's 64 rows of the O staging buffer (`oRows`: its slice of box 0),
// in the swizzled layout TMA reads: a warp's 8 rows x 16 bytes land in 8 different bank groups.
template <class Cfg>
__device__ __forceinline__ void writeOStaging(const float (&o)[Cfg::kHeadDim / 2], const RowStats& stats, uint32_t oRows, const ThreadPosition& at) {
  float inverse[2];
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float total = stats.sum[r];
    total += __shfl_xor_sync(0xffffffffu, total, 1);
    total += __shfl_xor_sync(0xffffffffu, total, 2);
    inverse[r] = total > 0.f ? 1.f / total : 0.f;
  }
#pragma unroll
  for (int i = 0; i < Cfg::kHeadDim / 2; i += 2) {
    const int row = 16 * at.warp + at.group + 8 * ((i % 4) / 2);
    const int column = 8 * (i / 4) + 2 * at.quad;
    const int box = column / kBoxColumns;
    const int chunk = (column % kBoxColumns) / 8;  // 16-byte chunk within the 128-byte row
    const uint32_t address = oRows + box * Cfg::kQBoxBytes + row * kBoxRowBytes + ((chunk ^ (row % 8)) << 4) + (column % 8) * 2;
    const uint32_t value = pack<typename Cfg::Element>(o[i] * inverse[(i % 4) / 2], o[i + 1] * inverse[(i % 4) / 2]);
    asm volatile("st.shared.b32 [%0], %1;\n" ::"r"(address), "r"(value) : "memory");
  }
  fenceProxyAsync();  // the TMA store reads what these ordinary stores wrote
}

// One thread stores the warpgroup's staged 64 rows; rows past S are dropped by TMA.
template <class Cfg>
__device__ __forceinline__ void issueOStore(const Sm90Params& p, uint32_t oRows, int warpgroupRow0, int head) {
#pragma unroll
  for (int b = 0; b < Cfg::kBoxes; ++b) tmaStore3d(&p.o, oRows + b * Cfg::kQBoxBytes, b * kBoxColumns, warpgroupRow0, head);
  tmaStoreCommit();
}

// The epilogue of the one-tile-per-CTA versions: O goes through this warpgroup's slice of the Q
// buffer (its last S GEMM has completed, so Q is dead). `barrierId` is a named barrier for this
// warpgroup's 128 threads.
template <class Cfg>
__device__ __forceinline__ void storeO(const Sm90Params& p, const float (&o)[Cfg::kHeadDim / 2], const RowStats& stats, uint32_t oRows, int warpgroupRow0,
                                       int head, const ThreadPosition& at, int barrierId) {
  writeOStaging<Cfg>(o, stats, oRows, at);
  namedBarrierSync(barrierId, kWarpgroupThreads);
  if (at.warp == 0 && at.lane == 0) {
    issueOStore<Cfg>(p, oRows, warpgroupRow0, head);
    tmaStoreWaitRead();  // shared memory must outlive the store's reads
  }
}

}  // namespace ratchet::kernels::sm90
