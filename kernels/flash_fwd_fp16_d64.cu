// fp16, head dim 64: every variant of flash_fwd.cuh for this pair (one translation unit each,
// so a build compiles the four pairs in parallel).
#include "flash_fwd.cuh"
#include "flash_fwd_variants.h"

namespace ratchet::kernels {

cudaError_t launchFlashFp16D64(int variant, const ratchet_attention_params& params, cudaStream_t stream) {
  switch (variant) {
#define RATCHET_CASE(index, name, blockM, blockN, warps) \
  case index:                                          \
    return launchFlashForward<FlashConfig<half, 64, blockM, blockN, warps>>(params, stream);
    RATCHET_FLASH_VARIANTS(RATCHET_CASE)
#undef RATCHET_CASE
    default:
      return cudaErrorInvalidValue;
  }
}

}  // namespace ratchet::kernels
