// The C API of attention.h over the variant table of flash_fwd_variants.h and flash_fwd_sm90.h.
#include <atomic>

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

enum Sm90VariantIndex {
#define RATCHET_SM90_INDEX(index, name, Version) k##Version##Index = index,
  RATCHET_FLASH_SM90_VARIANTS(RATCHET_SM90_INDEX)
#undef RATCHET_SM90_INDEX
};
// The Hopper default per head dim, mask and sequence length: the fastest version (or one within 2%
// of it) in a sweep of every version in turns beside cuDNN on an H100 (2026-12-06, fp16 and bf16,
// the suite's and FlashAttention-3's shapes, kernels/dev/sdpa_sweep.py; docs/results/
// 2026-12-06-h100-sweep-v4-v8.log and -v4-v9.log, whose v9 was a try not kept; again with the new
// causal sections and versions 9 and 10 on trial, -h100-s4-sweep-wide.log, -h100-s4-causal-v6-v8.log;
// TFLOP/s fp16 below, bf16 alike):
// - causal, S <= 8192: version 8, its tile counter 13-26% over the static schedule of versions
//   5-7 at D128 (B8 H16 S2048: 531-537 vs 413-427) and 5-8% at D64 S1024-4096; but causal D128 up
//   to S 1024: version 7, once the causal sections took 1/16 of the L2 at S <= 512 and 1/5 above
//   (sectionL2Share): 3-4% over version 8 at S 512 (320-323 vs 308-312 TFLOP/s fp16, 324-328 vs
//   312-316 bf16) and 1.3-2.9% at S 1024, where a short tile's claim from the counter no longer pays;
// - causal D128 from S 12288: version 9, FlashAttention-3's 176-key tiles on version 4's consumers,
//   2-4% over version 4 at B1 H16 S16384 (660 vs 635 fp16, 682 vs 659 bf16 on one machine, 675 vs
//   658 and 701 vs 686 on another, -h100-s4-gpu-host-sweep/); level with version 8 at S 8192,
//   slower than versions 4-8 at shorter lengths and at D64;
// - causal D64 from S 8192, and non-causal D64 from S 4096: version 4, whose blocks the hardware
//   hands to SMs as they free up, as a counter would, with version 4's consumers (Q read from
//   shared memory, three of them at D64): at D64 S8192-16384 3-11% over every persistent version
//   (and at D128 causal S16384 4-5% over version 8 before version 9). Version 5's consumers with
//   version 8's counter were measured too and led nowhere;
// - non-causal D128 below S 8192: version 7 (lazy rescaling), 2-4% over versions 5 and 6; from S
//   8192: version 5, level at 8192 and 1-2.5% ahead at 16384;
// - D64 below those lengths: version 6 (version 8 is level with it non-causal; causal S512 too).
// The H200's sweep (2026-12-06, -h200-s6-sweep-versions.log) agrees within 2% everywhere except
// causal D128 (highBandwidthHopper, next).

// The H200 (4.8 TB/s against the H100's 3.35, 60 MB of L2 against 50; same SMs and clocks) swaps
// the two causal D128 schedules: in its sweep of every version in turns (2026-12-06,
// docs/results/2026-12-06-h200-s6-sweep-versions.log), version 8 leads at S 512 (336 vs 315 TFLOP/s
// fp16, 342 vs 322 bf16) and version 7 from S 1024 to 8192 by 3-6% (B8 H16 S2048 575 vs 544 fp16,
// 588 vs 555 bf16), past the 2% a sample's predecessor moves a kernel in such a rotation.
// Told apart by the peak DRAM bandwidth, read from the device at run time: the two GPUs measured
// are either side of 4 TB/s; a Hopper between or beyond them is a guess until it is swept.
// Read once per device: the memory clock's attribute took about half a millisecond a query on an
// H100 (2026-12-06: asked at every launch, it outlasted the sweep's 230 us spin and halved the
// causal D128 figures up to S 2048).
static bool highBandwidthHopper() {
  constexpr int kCachedDevices = 64;
  static std::atomic<signed char> known[kCachedDevices];  // 0 not read yet, 1 no, 2 yes
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess || device < 0) return false;
  if (device < kCachedDevices) {
    const signed char seen = known[device].load(std::memory_order_relaxed);
    if (seen != 0) return seen == 2;
  }
  int memoryClockKHz = 0, busBits = 0;
  if (cudaDeviceGetAttribute(&memoryClockKHz, cudaDevAttrMemoryClockRate, device) != cudaSuccess ||
      cudaDeviceGetAttribute(&busBits, cudaDevAttrGlobalMemoryBusWidth, device) != cudaSuccess)
    return false;
  const double bytesPerSecond = 2.0 * memoryClockKHz * 1e3 * busBits / 8;  // double data rate
  const bool high = bytesPerSecond >= 4e12;
  if (device < kCachedDevices) known[device].store(high ? 2 : 1, std::memory_order_relaxed);
  return high;
}

static int hopperDefault(const ratchet_attention_params* params) {
  const int S = params->S;
  if (params->D == 64) {
    if (params->causal) return S >= 8192 ? kSm90V4Index : (S > 512 ? kSm90V8Index : kSm90V6Index);
    return S >= 4096 ? kSm90V4Index : kSm90V6Index;
  }
  if (params->causal) {
    if (S >= 12288) return kSm90V9Index;
    if (highBandwidthHopper()) return S > 512 ? kSm90V7Index : kSm90V8Index;
    return S > 1024 ? kSm90V8Index : kSm90V7Index;
  }
  return S >= 8192 ? kSm90V5Index : kSm90V7Index;
}

int ratchet_flash_fwd_default_variant(const ratchet_attention_params* params, int sm) {
  if (!ratchet_flash_fwd_variant_supports(0, params, sm)) return -1;
  const int hopper = hopperDefault(params);
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
