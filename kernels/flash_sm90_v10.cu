// Version 10 (dev only) of the Hopper forward (flash_sm90_v10.cuh) for both dtypes, head dims 64 and 128,
// causal and not: one translation unit, compiled for sm_90a only.
#include "flash_fwd_sm90.h"
#include "flash_sm90_launch.cuh"
#include "flash_sm90_v10.cuh"

namespace ratchet::kernels {

RATCHET_FLASH_SM90_DEFINE(Sm90V10)

}  // namespace ratchet::kernels
