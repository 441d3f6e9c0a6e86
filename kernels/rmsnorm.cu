// The C launch API of rmsnorm.h over the two kernels of rmsnorm.cuh.
#include <algorithm>

#include "rmsnorm.cuh"
#include "rmsnorm.h"

namespace {

using namespace ratchet::kernels;

const char* const kVariantNames[] = {"warp_row", "cta_row"};
constexpr int kVariantCount = 2;

// A warp per row while a row is at most this many elements (2 vectors a lane): past it a lone
// warp has too little of its row in flight, and a CTA per row spreads the row over more threads.
// Measured at 1024 columns (65536 rows, `ratchet autotune`): a CTA per row 1.07-1.08x faster on
// an H100 and 1.19x on an H200 (2026-12-02 and 12-06, docs/benchmarks.md), so 1024 is past it;
// shorter rows are not measured yet.
constexpr int64_t kWarpRowMaxCols = 32 * 2 * kRmsnormVector;

// cta_row's CTA: enough threads that each has at least 4 vectors, a power of two, 64..512.
unsigned ctaRowThreads(int64_t cols) {
  const int64_t wanted = (cols / kRmsnormVector + 3) / 4;
  unsigned threads = 64;
  while (threads < unsigned(kCtaRowMaxThreads) && int64_t(threads) < wanted) threads *= 2;
  return threads;
}

bool validParams(const ratchet_rmsnorm_params* p) {
  return p && p->x && p->w && p->y && p->rows >= 1 && p->cols >= 1 && p->rows <= 0x7fffffff && (p->dtype == RATCHET_FP16 || p->dtype == RATCHET_BF16);
}

template <typename T>
cudaError_t launch(int variant, const ratchet_rmsnorm_params& p, cudaStream_t stream) {
  const T* x = static_cast<const T*>(p.x);
  const T* w = static_cast<const T*>(p.w);
  T* y = static_cast<T*>(p.y);
  if (variant == 0) {
    const int64_t rowsPerCta = kWarpRowThreads / 32;
    const unsigned blocks = unsigned((p.rows + rowsPerCta - 1) / rowsPerCta);
    rmsnormWarpRowKernel<T><<<blocks, kWarpRowThreads, 0, stream>>>(x, w, y, p.rows, p.cols, p.eps);
  } else {
    rmsnormCtaRowKernel<T><<<unsigned(p.rows), ctaRowThreads(p.cols), 0, stream>>>(x, w, y, p.cols, p.eps);
  }
  return cudaGetLastError();
}

}  // namespace

extern "C" {

int ratchet_rmsnorm_variant_count(void) { return kVariantCount; }

const char* ratchet_rmsnorm_variant_name(int variant) { return variant >= 0 && variant < kVariantCount ? kVariantNames[variant] : nullptr; }

int ratchet_rmsnorm_variant_supports(int variant, const ratchet_rmsnorm_params* params, int sm) {
  // Plain loads, shuffles and fp16/bf16 conversions: sm_70 and newer, any shape a 1-D grid holds.
  return variant >= 0 && variant < kVariantCount && sm >= 70 && params && params->rows >= 1 && params->rows <= 0x7fffffff && params->cols >= 1;
}

int ratchet_rmsnorm_default_variant(const ratchet_rmsnorm_params* params, int sm) {
  if (!ratchet_rmsnorm_variant_supports(0, params, sm)) return -1;
  return params->cols <= kWarpRowMaxCols ? 0 : 1;
}

cudaError_t ratchet_rmsnorm(int variant, const ratchet_rmsnorm_params* params, cudaStream_t stream) {
  if (!validParams(params)) return cudaErrorInvalidValue;
  if (variant < 0) {
    int device = 0, major = 0, minor = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
    cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device);
    variant = ratchet_rmsnorm_default_variant(params, major * 10 + minor);
  }
  if (variant < 0 || variant >= kVariantCount) return cudaErrorInvalidValue;
  return params->dtype == RATCHET_FP16 ? launch<__half>(variant, *params, stream) : launch<__nv_bfloat16>(variant, *params, stream);
}

}  // extern "C"
