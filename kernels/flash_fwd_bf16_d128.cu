// bf16, head dim 128: every variant of flash_fwd.cuh for this pair (one translation unit each,
// so a build compiles the four pairs in parallel).
#include "flash_fwd.cuh"
#include "flash_fwd_variants.h"

namespace ratchet::kernels {

RATCHET_FLASH_PAIR_DEFINE(Bf16D128, __nv_bfloat16, 128)

}  // namespace ratchet::kernels
