// rmsnorm.cuh: RMSNorm forward, y = x * rsqrt(mean(x^2) + eps) * w, row by row.
//
// Layout: x, y [rows, cols] contiguous fp16/bf16, w [cols]. A row is read in 16-byte vectors of
// 8 elements. Rows start 16-byte aligned only when cols is a multiple of 8, so each row is split
// into a head (elements before the first aligned address, read one at a time), a body of aligned
// vectors and a tail (what is left after the last whole vector). x and y share their alignment;
// w is aligned with them only when the head is empty, otherwise its 8 elements are read singly.
// Sums of squares in fp32; the product rounded to the output type once.
//
// Variants (rmsnorm.cu has the table):
//   warp_row: one warp per row, 4 rows per 128-thread CTA; the reduction is warp shuffles alone.
//             The row is read again for the second pass (from L1 or L2, not DRAM, for the rows a
//             CTA holds at once). Suited to short rows: many rows in flight.
//   cta_row:  one CTA per row, sized to the row (4+ vectors a thread, 64..512 threads); the
//             row's vectors stay in registers between the passes (up to kCachedVectors a thread),
//             so x is read from memory once; the reduction goes through shared memory.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>

namespace ratchet::kernels {

constexpr int kRmsnormVector = 8;        // elements of 16 bits per 16-byte load
constexpr int kWarpRowThreads = 128;     // 4 warps: 4 rows per CTA
// Vectors a cta_row thread keeps in registers (8 x 16 bytes = 32 registers): rows up to
// 512 threads x 8 x 8 = 32768 elements are read from memory once.
constexpr int kCachedVectors = 8;
// At 1024 threads a thread gets 64 registers and the bf16 kernel spilled (nvcc 13, sm_90); at 512
// it has 128 and spills nothing.
constexpr int kCtaRowMaxThreads = 512;

__device__ __forceinline__ float toFloat(__half v) { return __half2float(v); }
__device__ __forceinline__ float toFloat(__nv_bfloat16 v) { return __bfloat162float(v); }
template <typename T>
__device__ __forceinline__ T fromFloat(float v);
template <>
__device__ __forceinline__ __half fromFloat<__half>(float v) { return __float2half_rn(v); }
template <>
__device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }

// Where a row's aligned body starts and how many whole vectors it has.
struct RowSplit {
  int64_t head;     // elements before the body
  int64_t vectors;  // whole 8-element vectors in the body
  int64_t tailStart;
};

template <typename T>
__device__ __forceinline__ RowSplit splitRow(const T* row, int64_t cols) {
  const int64_t misalignment = int64_t(reinterpret_cast<uintptr_t>(row) & 15) / int64_t(sizeof(T));
  const int64_t head = min(cols, misalignment == 0 ? 0 : kRmsnormVector - misalignment);
  const int64_t vectors = (cols - head) / kRmsnormVector;
  return {head, vectors, head + vectors * kRmsnormVector};
}

template <typename T>
__device__ __forceinline__ void unpack(const uint4& raw, float (&out)[kRmsnormVector]) {
  const T* values = reinterpret_cast<const T*>(&raw);
#pragma unroll
  for (int i = 0; i < kRmsnormVector; ++i) out[i] = toFloat(values[i]);
}

template <typename T>
__device__ __forceinline__ float sumSquares(const uint4& raw) {
  float v[kRmsnormVector];
  unpack<T>(raw, v);
  float sum = 0.f;
#pragma unroll
  for (int i = 0; i < kRmsnormVector; ++i) sum = fmaf(v[i], v[i], sum);
  return sum;
}

// w's 8 elements at `index`: one vector when aligned with x's body, else one at a time.
template <typename T>
__device__ __forceinline__ void loadWeights(const T* w, int64_t index, bool aligned, float (&out)[kRmsnormVector]) {
  if (aligned) {
    unpack<T>(*reinterpret_cast<const uint4*>(w + index), out);
  } else {
#pragma unroll
    for (int i = 0; i < kRmsnormVector; ++i) out[i] = toFloat(w[index + i]);
  }
}

// y's 8 elements at `index` from x's, scaled and weighted.
template <typename T>
__device__ __forceinline__ void storeScaled(T* y, int64_t index, const uint4& xRaw, const T* w, bool wAligned, float scale) {
  float x[kRmsnormVector], weights[kRmsnormVector];
  unpack<T>(xRaw, x);
  loadWeights(w, index, wAligned, weights);
  uint4 out;
  T* values = reinterpret_cast<T*>(&out);
#pragma unroll
  for (int i = 0; i < kRmsnormVector; ++i) values[i] = fromFloat<T>(x[i] * scale * weights[i]);
  *reinterpret_cast<uint4*>(y + index) = out;
}

__device__ __forceinline__ float warpSum(float value) {
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) value += __shfl_xor_sync(0xffffffffu, value, offset);
  return value;
}

// The scalar head and tail of a row: thread `lane` of `threads` takes every threads-th element.
template <typename T>
__device__ __forceinline__ float edgeSumSquares(const T* x, const RowSplit& s, int64_t cols, int lane, int threads) {
  float sum = 0.f;
  for (int64_t c = lane; c < s.head; c += threads) sum = fmaf(toFloat(x[c]), toFloat(x[c]), sum);
  for (int64_t c = s.tailStart + lane; c < cols; c += threads) sum = fmaf(toFloat(x[c]), toFloat(x[c]), sum);
  return sum;
}

template <typename T>
__device__ __forceinline__ void edgeStore(const T* x, const T* w, T* y, const RowSplit& s, int64_t cols, float scale, int lane, int threads) {
  for (int64_t c = lane; c < s.head; c += threads) y[c] = fromFloat<T>(toFloat(x[c]) * scale * toFloat(w[c]));
  for (int64_t c = s.tailStart + lane; c < cols; c += threads) y[c] = fromFloat<T>(toFloat(x[c]) * scale * toFloat(w[c]));
}

template <typename T>
__global__ void __launch_bounds__(kWarpRowThreads) rmsnormWarpRowKernel(const T* __restrict__ x, const T* __restrict__ w, T* __restrict__ y, int64_t rows, int64_t cols, float eps) {
  const int lane = threadIdx.x & 31;
  const int64_t row = int64_t(blockIdx.x) * (kWarpRowThreads / 32) + (threadIdx.x >> 5);
  if (row >= rows) return;
  const T* xRow = x + row * cols;
  T* yRow = y + row * cols;
  const RowSplit s = splitRow(xRow, cols);
  const uint4* body = reinterpret_cast<const uint4*>(xRow + s.head);
  float sum = edgeSumSquares(xRow, s, cols, lane, 32);
  for (int64_t v = lane; v < s.vectors; v += 32) sum += sumSquares<T>(body[v]);
  const float scale = rsqrtf(warpSum(sum) / float(cols) + eps);
  edgeStore(xRow, w, yRow, s, cols, scale, lane, 32);
  const bool wAligned = s.head == 0;
  for (int64_t v = lane; v < s.vectors; v += 32) storeScaled(yRow, s.head + v * kRmsnormVector, body[v], w, wAligned, scale);
}

template <typename T>
__global__ void __launch_bounds__(kCtaRowMaxThreads) rmsnormCtaRowKernel(const T* __restrict__ x, const T* __restrict__ w, T* __restrict__ y, int64_t cols, float eps) {
  __shared__ float warpSums[32];
  __shared__ float rowScale;
  const int threads = blockDim.x;
  const T* xRow = x + int64_t(blockIdx.x) * cols;
  T* yRow = y + int64_t(blockIdx.x) * cols;
  const RowSplit s = splitRow(xRow, cols);
  const uint4* body = reinterpret_cast<const uint4*>(xRow + s.head);

  uint4 cached[kCachedVectors];
  float sum = edgeSumSquares(xRow, s, cols, threadIdx.x, threads);
#pragma unroll
  for (int i = 0; i < kCachedVectors; ++i) {
    const int64_t v = threadIdx.x + int64_t(i) * threads;
    if (v < s.vectors) {
      cached[i] = body[v];
      sum += sumSquares<T>(cached[i]);
    }
  }
  // Rows longer than the registers hold: the rest is read again in the second pass.
  for (int64_t v = threadIdx.x + int64_t(kCachedVectors) * threads; v < s.vectors; v += threads) sum += sumSquares<T>(body[v]);

  sum = warpSum(sum);
  if ((threadIdx.x & 31) == 0) warpSums[threadIdx.x >> 5] = sum;
  __syncthreads();
  if (threadIdx.x < 32) {
    float total = threadIdx.x < (threads + 31) / 32 ? warpSums[threadIdx.x] : 0.f;
    total = warpSum(total);
    if (threadIdx.x == 0) rowScale = rsqrtf(total / float(cols) + eps);
  }
  __syncthreads();
  const float scale = rowScale;
  // The cached vectors stay raw (4 registers each) across the barrier: without this the compiler
  // keeps pass one's converted floats (16 each) alive for pass two where the conversion is cheap
  // (bf16 is a shift), 109 registers instead of 56 and half the CTAs per SM.
#pragma unroll
  for (int i = 0; i < kCachedVectors; ++i) asm volatile("" : "+r"(cached[i].x), "+r"(cached[i].y), "+r"(cached[i].z), "+r"(cached[i].w));

  edgeStore(xRow, w, yRow, s, cols, scale, threadIdx.x, threads);
  const bool wAligned = s.head == 0;
#pragma unroll
  for (int i = 0; i < kCachedVectors; ++i) {
    const int64_t v = threadIdx.x + int64_t(i) * threads;
    if (v < s.vectors) storeScaled(yRow, s.head + v * kRmsnormVector, cached[i], w, wAligned, scale);
  }
  for (int64_t v = threadIdx.x + int64_t(kCachedVectors) * threads; v < s.vectors; v += threads) storeScaled(yRow, s.head + v * kRmsnormVector, body[v], w, wAligned, scale);
}

}  // namespace ratchet::kernels
