// The C API of attention.h over the variant table of flash_fwd_variants.h and flash_fwd_sm90.h.
#include "flash_fwd_sm90.h"
#include "flash_fwd_variants.h"

namespace {

using namespace ratchet::kernels;

const char* const kVariantNames[] = {
#define RATCHET_NAME(index, name, ...) #name,
    RATCHET_FLASH_VARIANTS(RATCHET_NAME) RATCHET_FLASH_SM90_VARIANTS(RATCHET_NAME)
#undef RATCHET_NAME
};
constexpr int kVariantCount = int(sizeof(kVariantNames) / sizeof(kVariantNames[0]));

// The Hopper variants exist in this build only when its architectures include 90 (sm_90a code).
#ifdef RATCHET_WITH_SM90A
constexpr bool kSm90aBuilt = true;
#else
constexpr bool kSm90aBuilt = false;
#endif

bool isSm90Variant(int variant) { return variant >= kFlashMmaVariantCount && variant < kVariantCount; }

bool validParams(const ratchet_attention_params* p) {
  return p && p->q && p->k && p->v && p->o && p->B >= 1 && p->H >= 1 && p->S >= 1 &&
         (p->D == 64 || p->D == 128) && (p->dtype == RATCHET_FP16 || p->dtype == RATCHET_BF16) && p->H <= 65535 && p->B <= 65535;
}

int currentSm() {
  int device = 0, major = 0, minor = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
  cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device);
  return major * 10 + minor;
}

// -1 means the default for these params on the current device.
int resolvedVariant(int variant, const ratchet_attention_params* params) {
  return variant >= 0 ? variant : ratchet_flash_fwd_default_variant(params, currentSm());
}

cudaError_t launchSm90(int variant, const ratchet_attention_params& params, cudaStream_t stream) {
#ifdef RATCHET_WITH_SM90A
  switch (variant) {
#define RATCHET_SM90_LAUNCH(index, name, Version) \
  case index:                                    \
    return launchFlash##Version(params, stream);
    RATCHET_FLASH_SM90_VARIANTS(RATCHET_SM90_LAUNCH)
#undef RATCHET_SM90_LAUNCH
  }
#endif
  (void)variant, (void)params, (void)stream;
  return cudaErrorInvalidValue;
}

const void* kernelSm90(int variant, const ratchet_attention_params& params) {
#ifdef RATCHET_WITH_SM90A
  switch (variant) {
#define RATCHET_SM90_KERNEL(index, name, Version) \
  case index:                                    \
    return flashKernel##Version(params);
    RATCHET_FLASH_SM90_VARIANTS(RATCHET_SM90_KERNEL)
#undef RATCHET_SM90_KERNEL
  }
#endif
  (void)variant, (void)params;
  return nullptr;
}

}  // namespace

extern "C" {

int ratchet_flash_fwd_variant_count(void) { return kVariantCount; }

const char* ratchet_flash_fwd_variant_name(int variant) { return variant >= 0 && variant < kVariantCount ? kVariantNames[variant] : nullptr; }

int ratchet_flash_fwd_variant_supports(int variant, const ratchet_attention_params* params, int sm) {
  if (variant < 0 || variant >= kVariantCount || !params || (params->D != 64 && params->D != 128)) return 0;
  // mma.sync + cp.async + ldmatrix: sm_80 and newer. wgmma + TMA + setmaxnreg: sm_90a code, which
  // runs on compute capability 9.0 alone.
  return isSm90Variant(variant) ? kSm90aBuilt && sm == 90 : sm >= 80;
}

// The Hopper default: version 6 on every shape. Measured on the H200 (2026-12-01,
// docs/results/2026-12-01-h200-issue12-versions.txt): at D64 14-31% faster than version 5 up to
// S1024 (fp16 B32 H8 S512: 349 vs 294 TFLOP/s), level at S2048 and at D128 (B8 H16 S2048: 651 vs
// 649); version 5 led B2 H16 S8192 D128 by 4-7% there and by 0-2% in earlier runs, version 4 the
// causal S4096 shape by 1-2%: within the spread between runs, so one default, autotuning for the rest.
enum Sm90VariantIndex {
#define RATCHET_SM90_INDEX(index, name, Version) k##Version##Index = index,
  RATCHET_FLASH_SM90_VARIANTS(RATCHET_SM90_INDEX)
#undef RATCHET_SM90_INDEX
};
// At D128, version 7 (lazy rescaling of O): on the H200 (2026-12-02, kernels/dev/flash_sm90_bench
// time 30, docs/benchmarks.md) 2.1-3.5% faster than version 6 on every D128 suite shape, causal
// included (fp16 B2 H16 S8192: 695 vs 677 TFLOP/s); at D64 level to 7.7% slower (B8 H32 S2048),
// where the O multiply it saves is half as large and the vote costs the same.
constexpr int kSm90Default = kSm90V6Index;
constexpr int kSm90DefaultD128 = kSm90V7Index;

int ratchet_flash_fwd_default_variant(const ratchet_attention_params* params, int sm) {
  if (!ratchet_flash_fwd_variant_supports(0, params, sm)) return -1;
  const int hopper = params->D == 128 ? kSm90DefaultD128 : kSm90Default;
  if (ratchet_flash_fwd_variant_supports(hopper, params, sm)) return hopper;
  // Elsewhere (A100, L4, a build without Hopper code): the mma.sync tiles. Measured on the H100
  // (docs/results/2026-11-23-h100-variant-sweep.md): 128-row tiles with 8
  // warps win non-causal shapes by 1-3% (B16 H16 S1024 D64: 0.283 vs 0.290 ms); causal shapes
  // prefer 64-row tiles (B4 H16 S4096 D128: 1.29 vs 1.41 ms): finer tiles waste less work on the
  // diagonal and balance the triangle better.
  return params->causal ? 0 : 1;
}

cudaError_t ratchet_flash_fwd(int variant, const ratchet_attention_params* params, cudaStream_t stream) {
  if (!validParams(params)) return cudaErrorInvalidValue;
  variant = resolvedVariant(variant, params);
  if (variant < 0 || variant >= kVariantCount) return cudaErrorInvalidValue;
  if (isSm90Variant(variant)) {
    // sm_90a machine code would not load elsewhere: refuse rather than fail the launch.
    if (!ratchet_flash_fwd_variant_supports(variant, params, currentSm())) return cudaErrorInvalidValue;
    return launchSm90(variant, *params, stream);
  }
  const bool fp16 = params->dtype == RATCHET_FP16;
  if (params->D == 64) return fp16 ? launchFlashFp16D64(variant, *params, stream) : launchFlashBf16D64(variant, *params, stream);
  return fp16 ? launchFlashFp16D128(variant, *params, stream) : launchFlashBf16D128(variant, *params, stream);
}

const void* ratchet_flash_fwd_kernel(int variant, const ratchet_attention_params* params) {
  if (!params || (params->D != 64 && params->D != 128)) return nullptr;
  variant = resolvedVariant(variant, params);
  if (variant < 0 || variant >= kVariantCount) return nullptr;
  if (isSm90Variant(variant)) return kernelSm90(variant, *params);
  const bool fp16 = params->dtype == RATCHET_FP16;
  if (params->D == 64) return fp16 ? flashKernelFp16D64(variant, *params) : flashKernelBf16D64(variant, *params);
  return fp16 ? flashKernelFp16D128(variant, *params) : flashKernelBf16D128(variant, *params);
}

}  // extern "C"
