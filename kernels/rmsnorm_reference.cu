// rmsnorm_reference.cu: the check of the RMSNorm kernels. Every row recomputed in fp64 from the
// same x and w, compared with y element by element, without storing the reference: one CTA per
// row (grid-strided), the row's sum of squares reduced in fp64, then each element's error.
// Correctness over speed.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>

#include "rmsnorm.h"

namespace {

constexpr int kThreads = 256;
constexpr unsigned kMaxBlocks = 4096;

__device__ __forceinline__ double load(const __half* p, int64_t i) { return double(__half2float(p[i])); }
__device__ __forceinline__ double load(const __nv_bfloat16* p, int64_t i) { return double(__bfloat162float(p[i])); }

template <typename V>
__device__ V blockSum(V value, V* scratch) {
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) value += __shfl_xor_sync(0xffffffffu, value, offset);
  __syncthreads();  // scratch may still be read from the previous call
  if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = value;
  __syncthreads();
  V total = 0;
  for (int w = 0; w < kThreads / 32; ++w) total += scratch[w];
  return total;
}

template <typename T>
__global__ void __launch_bounds__(kThreads) rmsnormCheckKernel(const T* x, const T* w, const T* y, int64_t rows, int64_t cols, float eps, double* stats) {
  __shared__ double scratch[kThreads / 32];
  double diff2 = 0, ref2 = 0, sum = 0, absSum = 0;
  float maxAbs = 0;
  unsigned long long bad = 0;
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const T* xRow = x + row * cols;
    const T* yRow = y + row * cols;
    double squares = 0;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) squares += load(xRow, c) * load(xRow, c);
    const double scale = 1.0 / sqrt(blockSum(squares, scratch) / double(cols) + double(eps));
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) {
      const double expected = load(xRow, c) * scale * load(w, c);
      const double got = load(yRow, c);
      if (!isfinite(got)) {
        ++bad;
        continue;
      }
      const double err = fabs(got - expected);
      diff2 += err * err;
      ref2 += expected * expected;
      maxAbs = fmaxf(maxAbs, float(err));
      sum += got;
      absSum += fabs(got);
    }
  }
  atomicAdd(&stats[0], diff2);
  atomicAdd(&stats[1], ref2);
  atomicMax(reinterpret_cast<unsigned int*>(&stats[2]), __float_as_uint(maxAbs));
  atomicAdd(reinterpret_cast<unsigned long long*>(&stats[3]), bad);
  atomicAdd(&stats[4], sum);
  atomicAdd(&stats[5], absSum);
}

}  // namespace

extern "C" cudaError_t ratchet_rmsnorm_check(const ratchet_rmsnorm_params* p, double* stats, cudaStream_t stream) {
  if (!p || !p->x || !p->w || !p->y || !stats || p->rows < 1 || p->cols < 1) return cudaErrorInvalidValue;
  const unsigned blocks = unsigned(std::min<int64_t>(p->rows, kMaxBlocks));
  if (p->dtype == RATCHET_FP16) {
    rmsnormCheckKernel<__half><<<blocks, kThreads, 0, stream>>>(static_cast<const __half*>(p->x), static_cast<const __half*>(p->w), static_cast<const __half*>(p->y), p->rows, p->cols, p->eps, stats);
  } else {
    rmsnormCheckKernel<__nv_bfloat16><<<blocks, kThreads, 0, stream>>>(static_cast<const __nv_bfloat16*>(p->x), static_cast<const __nv_bfloat16*>(p->w), static_cast<const __nv_bfloat16*>(p->y), p->rows, p->cols, p->eps, stats);
  }
  return cudaGetLastError();
}
