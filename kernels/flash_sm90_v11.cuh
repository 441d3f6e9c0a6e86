// flash_sm90_v11.cuh (dev only, on trial): version 6's stream with a share of the exp2 on the FMA
// pipe (exp2OnFma, flash_sm90_softmax.cuh; FlashAttention-4's emulation).
//
// Why: at D = 64 a consumer's key tile is two 64 x 128 x 64 GEMMs, 512 tensor-core cycles, and 8192
// exp2, 512 cycles of the MUFU (16 a clock per SM): the softmax, not the tensor cores, sets the
// pingpong's pace (Nsight Compute at B32 H8 S512 D64: tensor pipe 41.8%, MUFU 44.0%). An emulated
// exp2 costs about 9 issue slots against the MUFU's 8 cycles a warp, so moving a share of them
// over shortens the softmax until the issue slots bind: a quarter of the scores (version 11) or an
// eighth (version 12) of every thread's 64, chosen by position so the choice is free.
#pragma once

#include "flash_sm90_v6.cuh"

namespace ratchet::kernels::sm90 {

template <class Cfg, bool kCausal, int kFmaEvery>
__global__ void __launch_bounds__(Cfg::kThreads, 1) flashForwardSm90V11(const __grid_constant__ Sm90Params p) {
  streamKernel<Cfg, kCausal, EagerSoftmaxOf<kFmaEvery>, StrideTiles>(p);
}

// Version 6's tiles and grid; every 4th pair of scores on the FMA pipe.
struct Sm90V11 : Sm90V6 {
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V11<Cfg, kCausal, 4>); }
};

// Every 8th pair.
struct Sm90V12 : Sm90V6 {
  template <class Cfg, bool kCausal>
  static const void* kernel() { return reinterpret_cast<const void*>(&flashForwardSm90V11<Cfg, kCausal, 8>); }
};

}  // namespace ratchet::kernels::sm90
