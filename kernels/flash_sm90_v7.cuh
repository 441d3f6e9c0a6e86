// flash_sm90_v7.cuh: version 7 of the Hopper forward: lazy rescaling of O (FlashAttention-4's
// conditional rescale).
//
// Idea: under the board's power cap the clock falls with every instruction issued, and the
// consumers' non-tensor-core work per key tile is what can shrink. Version 6 moves each row's
// reference max to the new running max after every key tile and multiplies the whole O
// accumulator (kHeadDim / 2 FMULs per thread: 64 at D = 128) and the row sum by the correction,
// plus two exp2 for the corrections. With scores that do not climb, the max settles after the
// first tile or two and every later correction is a multiply by (nearly) 1. Here the reference
// stays stale unless a row's new tile max exceeds it by more than kRescaleThresholdLog2 (tau,
// log2 domain); when no row of the warp needs it, the warp skips the correction exp2, the O
// multiply and the sum multiply entirely. Schedule, tiles and registers as in version 6: this is
// version 6's stream with the LazySoftmax policy.
//
// Why it stays exact. Per row, with m the reference (log2-scaled, as used in exp2) after a key
// tile, the kernel holds O = sum_k 2^(s_k * scaleLog2 - m) v_k and l = sum_k 2^(s_k * scaleLog2 - m)
// over every key seen so far. Moving the reference from m to m' multiplies both by 2^(m - m'),
// which is what the correction does; not moving it leaves both against the same m. The output
// O / l is the same for every m, so when (and whether) m moves changes only the rounding, never
// the result. The reference only has to keep the numbers in range:
//   - above: after each tile m >= (tile's row max) - tau, so every P = 2^(s * scaleLog2 - m) is
//     at most 2^tau = 256: exact enough and far from overflow in fp16 (65504) and bf16, and the
//     fp32 O and l stay below 256 * S * max|v| and 256 * S.
//   - below: m never exceeds the true running max (it only ever moves to a row max), so the
//     key at the max contributes P >= 1 and l >= 1: no underflow of the whole row, 1 / l finite.
// The decision must be uniform where the multiply is issued: a thread's O registers o[i] are rows
// group and group + 8 of its warp ((i % 4) / 2), the quad (4 threads) shares a row, and the warp
// issues the multiply; so the warp votes (__any_sync) and, when any of its 16 rows needs a new
// reference, moves all 16 (a row that did not need it gets a correction in (2^-tau, 1], still
// exact by the argument above). No warpgroup-wide agreement is needed: the multiply runs after
// wgmma.wait_group 0, when no wgmma of this warp is writing O, and each warp's registers are its own.
//   - first key tile of a query tile: always takes the tile's row max as the reference (no vote,
//     no correction: O and l start at 0).
//   - rows with no visible key so far: with queries and keys of one length every row sees key 0
//     in its first key tile (the padding rows past S see keys too), so this kernel never has one;
//     a bottom-right causal alignment (Sq != Sk) would. They are handled all the same: their
//     reference is kNoKeyReference, a finite value far below any log2-scaled score, instead of
//     -inf. A row whose scores are all -inf keeps it (fmaxf), its P are 2^(-inf) = 0 and its vote
//     is "no" (0 > tau is false); its first visible key makes the vote "yes" (about 1e30 > tau)
//     and the correction 2^(kNoKeyReference - m) = 0, right since its O and l are still 0. No
//     inf - inf, so no NaN, and no -inf guard (a select per row) in the exponent.
// Costs per key tile and row: an FADD and a compare for the vote, and one vote per warp; saved
// when no rescale is needed: 2 exp2, kHeadDim / 2 + 2 FMULs per thread, and v6's -inf select.
#pragma once

#include "flash_sm90_v6.cuh"

namespace ratchet::kernels::sm90 {

// tau: P <= 2^8 = 256 against a stale reference (FlashAttention-4's choice), safe in fp16 and bf16.
constexpr float kRescaleThresholdLog2 = 8.f;
// The reference of a row that has seen no visible key (see the header): finite, far below any
// log2-scaled score (|s * scaleLog2| < 1e12 for any fp16 inputs at D <= 128).
constexpr float kNoKeyReference = -1e30f;

// Masks one score tile, moves the reference when the warp votes for it (always on the first tile)
// and turns s into probabilities in place. stats.max holds the reference log2-scaled (this
// version's convention; the epilogue reads stats.sum only). Returns whether O must be multiplied
// by `correction` (warp-uniform).
template <class Cfg, bool kMask, bool kCausal, bool kFirst>
__device__ __forceinline__ bool lazySoftmaxTile(float (&s)[Cfg::kBlockN / 2], RowStats& stats, float (&correction)[2], float scaleLog2, int n0, int row0,
                                                int S, const ThreadPosition& at) {
  if constexpr (kMask) maskScores<Cfg, kCausal>(s, n0, row0, S, at);
  float candidate[2];  // the reference this tile would set: max(reference, row max * scaleLog2)
  bool grows = false;
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float tileMax = fmaxf(s[2 * r], s[2 * r + 1]);
#pragma unroll
    for (int i = 2 * r + 4; i < Cfg::kBlockN / 2; i += 4) tileMax = fmaxf(tileMax, fmaxf(s[i], s[i + 1]));
    tileMax = fmaxf(tileMax, __shfl_xor_sync(0xffffffffu, tileMax, 1));
    tileMax = fmaxf(tileMax, __shfl_xor_sync(0xffffffffu, tileMax, 2));
    candidate[r] = fmaxf(stats.max[r], tileMax * scaleLog2);  // -inf (all masked) leaves the reference
    grows |= candidate[r] - stats.max[r] > kRescaleThresholdLog2;
  }
  const bool rescale = kFirst || __any_sync(0xffffffffu, grows);
  if (rescale) {
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      if constexpr (!kFirst) {
        correction[r] = exp2f(stats.max[r] - candidate[r]);
        stats.sum[r] *= correction[r];
      }
      stats.max[r] = candidate[r];
    }
  }
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float sum = kFirst ? 0.f : stats.sum[r];
#pragma unroll
    for (int i = 2 * r; i < Cfg::kBlockN / 2; i += 4) {
      s[i] = exp2f(fmaf(s[i], scaleLog2, -stats.max[r]));
      s[i + 1] = exp2f(fmaf(s[i + 1], scaleLog2, -stats.max[r]));
      sum += s[i] + s[i + 1];
    }
    stats.sum[r] = sum;
  }
  return rescale;
}

// As softmaxStep: masked only on tiles past S or across the diagonal (a warpgroup-uniform branch).
template <class Cfg, bool kCausal, bool kFirst>
__device__ __forceinline__ bool lazySoftmaxStep(float (&s)[Cfg::kBlockN / 2], RowStats& stats, float (&correction)[2], const Sm90Params& p, int n0,
                                                int warpgroupRow0, const ThreadPosition& at) {
  const int row0 = warpgroupRow0 + 16 * at.warp + at.group;
  if (tileNeedsMask<Cfg>(kCausal, n0, warpgroupRow0, p.S)) return lazySoftmaxTile<Cfg, true, kCausal, kFirst>(s, stats, correction, p.scaleLog2, n0, row0, p.S, at);
  return lazySoftmaxTile<Cfg, false, kCausal, kFirst>(s, stats, correction, p.scaleLog2, n0, row0, p.S, at);
}

// The softmax policy of version 6's stream (EagerSoftmax there) made lazy.
struct LazySoftmax {
  // A tile's first key tile: the reference starts at the row max.
  template <class Cfg, bool kCausal>
  __device__ __forceinline__ static void first(float (&s)[Cfg::kBlockN / 2], RowStats& stats, const Sm90Params& p, int warpgroupRow0, const ThreadPosition& at) {
    float unused[2];
    stats.max[0] = stats.max[1] = kNoKeyReference;
    lazySoftmaxStep<Cfg, kCausal, true>(s, stats, unused, p, 0, warpgroupRow0, at);
  }
  // Key tiles 1 .. n-1: O is multiplied only when the warp moved its reference.
  template <class Cfg, bool kCausal>
  __device__ __forceinline__ static bool next(float (&s)[Cfg::kBlockN / 2], RowStats& stats, float (&correction)[2], const Sm90Params& p, int n0,
                                              int warpgroupRow0, const ThreadPosition& at) {
    return lazySoftmaxStep<Cfg, kCausal, false>(s, stats, correction, p, n0, warpgroupRow0, at);
  }
};

template <class Cfg, bool kCausal>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V7(const __grid_constant__ Sm90Params p) {
  streamKernel<Cfg, kCausal, LazySoftmax, StrideTiles>(p);
}

// Version 6's tiles (two consumers at 240 registers, 128-key tiles, three stages at D = 64) and grid.
struct Sm90V7 : Sm90V6 {
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V7<Cfg, kCausal>); }
};

}  // namespace ratchet::kernels::sm90
