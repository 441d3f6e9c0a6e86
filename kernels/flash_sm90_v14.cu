// Version 14 (dev only) of the Hopper forward (flash_sm90_v11.cuh: version 6 with a deeper ring, a filling producer, at
// D = 64) for both dtypes, head dims 64 and 128, causal and not: one translation unit, sm_90a only.
#include "flash_fwd_sm90.h"
#include "flash_sm90_launch.cuh"
#include "flash_sm90_v11.cuh"

namespace ratchet::kernels {

RATCHET_FLASH_SM90_DEFINE(Sm90V14)

}  // namespace ratchet::kernels
