// bf16, head dim 128: every variant of flash_fwd.cuh for this pair (one translation unit each,
// so a build compiles the four pairs in parallel).
#include "flash_fwd.cuh"
#include "flash_fwd_variants.h"

namespace ratchet::kernels {

cudaError_t launchFlashBf16D128(int variant, const ratchet_attention_params& params, cudaStream_t stream) {
  switch (variant) {
#define RATCHET_CASE(index, name, blockM, blockN, warps) \
  case index:                                          \
    return launchFlashForward<FlashConfig<__nv_bfloat16, 128, blockM, blockN, warps>>(params, stream);
    RATCHET_FLASH_VARIANTS(RATCHET_CASE)
#undef RATCHET_CASE
    default:
      return cudaErrorInvalidValue;
  }
}

}  // namespace ratchet::kernels
