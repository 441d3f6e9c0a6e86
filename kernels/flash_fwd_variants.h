// flash_fwd_variants.h: the compiled variants of the flash kernel, in one table. The mma.sync
// variants (sm_80 and newer) are tile shapes (query rows per CTA, keys per tile, warps) of
// flash_fwd.cuh; the Hopper variants (sm_90 only, flash_fwd_sm90.h) follow them. Each is
// instantiated for both dtypes, head dims 64 and 128, causal and not. Variant indices are stable:
// results record the name.
#pragma once

#include "attention.h"

#define RATCHET_FLASH_VARIANTS(X)  \
  X(0, mma_br64_bc64_w4, 64, 64, 4) \
  X(1, mma_br128_bc64_w8, 128, 64, 8) \
  X(2, mma_br128_bc32_w8, 128, 32, 8)

namespace ratchet::kernels {

// The mma.sync variants: indices 0 .. kFlashMmaVariantCount - 1.
constexpr int kFlashMmaVariantCount = 3;

// One (dtype, head dim) pair per translation unit, so the build compiles them in parallel. Each
// defines launchFlash<Pair> (launch `variant`) and flashKernel<Pair> (the kernel it would launch).
#define RATCHET_FLASH_PAIR_DECLARE(Pair)                                                                   \
  cudaError_t launchFlash##Pair(int variant, const ratchet_attention_params& params, cudaStream_t stream); \
  const void* flashKernel##Pair(int variant, const ratchet_attention_params& params);
RATCHET_FLASH_PAIR_DECLARE(Fp16D64)
RATCHET_FLASH_PAIR_DECLARE(Fp16D128)
RATCHET_FLASH_PAIR_DECLARE(Bf16D64)
RATCHET_FLASH_PAIR_DECLARE(Bf16D128)
#undef RATCHET_FLASH_PAIR_DECLARE

// The body of one pair's translation unit (needs flash_fwd.cuh): two switches over the variants,
// CASE per variant and `fallback` for any other index.
#define RATCHET_FLASH_PAIR_SWITCH(ElementType, kHeadDim, CASE, fallback) \
  using Element = ElementType;                                         \
  constexpr int HeadDim = kHeadDim;                                    \
  switch (variant) {                                                   \
    RATCHET_FLASH_VARIANTS(CASE)                                       \
    default:                                                           \
      return fallback;                                                 \
  }
#define RATCHET_FLASH_PAIR_DEFINE(Pair, ElementType, kHeadDim)                                              \
  cudaError_t launchFlash##Pair(int variant, const ratchet_attention_params& params, cudaStream_t stream) { \
    RATCHET_FLASH_PAIR_SWITCH(ElementType, kHeadDim, RATCHET_FLASH_LAUNCH_CASE, cudaErrorInvalidValue)     \
  }                                                                                                         \
  const void* flashKernel##Pair(int variant, const ratchet_attention_params& params) {                     \
    RATCHET_FLASH_PAIR_SWITCH(ElementType, kHeadDim, RATCHET_FLASH_KERNEL_CASE, nullptr)                   \
  }
#define RATCHET_FLASH_LAUNCH_CASE(index, name, blockM, blockN, warps) \
  case index:                                                         \
    return launchFlashForward<FlashConfig<Element, HeadDim, blockM, blockN, warps>>(params, stream);
#define RATCHET_FLASH_KERNEL_CASE(index, name, blockM, blockN, warps) \
  case index:                                                         \
    return flashForwardKernelFor<FlashConfig<Element, HeadDim, blockM, blockN, warps>>(params);

}  // namespace ratchet::kernels
