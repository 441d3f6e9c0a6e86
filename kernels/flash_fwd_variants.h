// flash_fwd_variants.h: the compiled variants of the flash kernel, in one table. A variant is a
// tile shape (query rows per CTA, keys per tile, warps); each is instantiated for both dtypes,
// head dims 64 and 128, causal and not. Variant indices are stable: results record the name.
#pragma once

#include "attention.h"

#define RATCHET_FLASH_VARIANTS(X)  \
  X(0, mma_br64_bc64_w4, 64, 64, 4) \
  X(1, mma_br128_bc64_w8, 128, 64, 8) \
  X(2, mma_br128_bc32_w8, 128, 32, 8)

namespace ratchet::kernels {

constexpr int kFlashVariantCount = 3;

// One per (dtype, head dim) translation unit, so the build compiles them in parallel.
cudaError_t launchFlashFp16D64(int variant, const ratchet_attention_params& params, cudaStream_t stream);
cudaError_t launchFlashFp16D128(int variant, const ratchet_attention_params& params, cudaStream_t stream);
cudaError_t launchFlashBf16D64(int variant, const ratchet_attention_params& params, cudaStream_t stream);
cudaError_t launchFlashBf16D128(int variant, const ratchet_attention_params& params, cudaStream_t stream);

}  // namespace ratchet::kernels
