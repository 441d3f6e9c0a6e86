// flash_fwd_sm90.h: the Hopper (sm_90a) versions of the flash kernel in the variant table. Each
// version is one translation unit (flash_sm90_v<N>.cu over flash_sm90_v<N>.cuh) built only when
// the build targets Hopper (RATCHET_WITH_SM90A; kernels/CMakeLists.txt); each runs on sm_90 alone.
#pragma once

#include "attention.h"

// Versions on trial, in dev builds only (RATCHET_DEV_KNOBS: kernels/dev/sdpa_sweep.py's library).
#ifdef RATCHET_DEV_KNOBS
#define RATCHET_FLASH_SM90_DEV_VARIANTS(X) X(12, sm90_v10_wide_persistent, Sm90V10)
#else
#define RATCHET_FLASH_SM90_DEV_VARIANTS(X)
#endif

// X(index in the variant table, name, version)
#define RATCHET_FLASH_SM90_VARIANTS(X)      \
  X(3, sm90_v1_tma_wgmma, Sm90V1)           \
  X(4, sm90_v2_warp_specialized, Sm90V2)    \
  X(5, sm90_v3_intra_overlap, Sm90V3)       \
  X(6, sm90_v4_pingpong, Sm90V4)           \
  X(7, sm90_v5_persistent, Sm90V5)         \
  X(8, sm90_v6_stream, Sm90V6)             \
  X(9, sm90_v7_lazy_rescale, Sm90V7)       \
  X(10, sm90_v8_tile_counter, Sm90V8)       \
  X(11, sm90_v9_wide_keys, Sm90V9)          \
  RATCHET_FLASH_SM90_DEV_VARIANTS(X)

namespace ratchet::kernels {

#define RATCHET_FLASH_SM90_DECLARE(index, name, Version)                                              \
  cudaError_t launchFlash##Version(const ratchet_attention_params& params, cudaStream_t stream); \
  const void* flashKernel##Version(const ratchet_attention_params& params);
RATCHET_FLASH_SM90_VARIANTS(RATCHET_FLASH_SM90_DECLARE)
#undef RATCHET_FLASH_SM90_DECLARE

// The body of one version's translation unit (needs its flash_sm90_v<N>.cuh and flash_sm90_launch.cuh).
#define RATCHET_FLASH_SM90_DEFINE(Version)                                                                 \
  cudaError_t launchFlash##Version(const ratchet_attention_params& params, cudaStream_t stream) {         \
    return sm90::launchVersion<sm90::Version>(params, stream);                                             \
  }                                                                                                        \
  const void* flashKernel##Version(const ratchet_attention_params& params) { return sm90::kernelOfVersion<sm90::Version>(params); }

}  // namespace ratchet::kernels
