// flash_sm90_softmax.cuh: the consumer's work between and after the GEMMs of flash_sm90.cuh: the
// online softmax on the wgmma S accumulator (mask, running max and sum, exp2 with the scale
// folded in, P packed into the A fragments of O += P V) and the epilogue (O / rowsum into a
// swizzled staging tile, stored by TMA, which drops rows past S).
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cmath>
#include <cstdint>

#include "flash_sm90.cuh"
#include "hopper.cuh"

namespace ratchet::kernels::sm90 {

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

// Sets the scores of keys >= S (and, when causal, of keys after the query) to -inf.
// s[i] is row 8 * ((i % 4) / 2) + group, key n0 + 8 * (i / 4) + 2 * quad + (i % 2).
template <class Cfg, bool kCausal>
__device__ __forceinline__ void maskScores(float (&s)[Cfg::kBlockN / 2], int n0, int row0, int S, const ThreadPosition& at) {
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

// Masks one score tile (maskScores), updates the running max, turns s into probabilities in
// place and returns each row's rescale factor for O (and the sum).
template <class Cfg, bool kMask, bool kCausal>
__device__ __forceinline__ void softmaxTile(float (&s)[Cfg::kBlockN / 2], RowStats& stats, float (&correction)[2], float scaleLog2, int n0,
                                            int row0, int S, const ThreadPosition& at) {
  if constexpr (kMask) maskScores<Cfg, kCausal>(s, n0, row0, S, at);
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
