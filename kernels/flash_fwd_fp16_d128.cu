// fp16, head dim 128: every variant of flash_fwd.cuh for this pair (one translation unit each,
// so a build compiles the four pairs in parallel).
#include "flash_fwd.cuh"
#include "flash_fwd_variants.h"

namespace ratchet::kernels {

RATCHET_FLASH_PAIR_DEFINE(Fp16D128, half, 128)

}  // namespace ratchet::kernels
