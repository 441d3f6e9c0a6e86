// reference.cu: the plain attention the flash kernels are checked against. fp32 math, no tensor
// cores, the textbook two passes: row max, then sum of exponentials and the weighted sum of V.
// One thread per query row; key/value rows are staged through shared memory 32 at a time so
// the loads are coalesced. Correctness over speed. Writes O as float [B, H, S, D].
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cfloat>

#include "attention.h"

namespace {

constexpr int kRowsPerBlock = 128;
constexpr int kKeysPerStage = 32;

__device__ __forceinline__ float load(const half* p, size_t i) { return __half2float(p[i]); }
__device__ __forceinline__ float load(const __nv_bfloat16* p, size_t i) { return __bfloat162float(p[i]); }

template <typename Element, int D>
__global__ void __launch_bounds__(kRowsPerBlock) referenceKernel(const ratchet_attention_params params) {
  __shared__ float stage[kKeysPerStage][D];
  const int S = params.S;
  const size_t slice = size_t(blockIdx.y) * size_t(S) * D;  // blockIdx.y = batch * H + head
  const Element* q = static_cast<const Element*>(params.q) + slice;
  const Element* k = static_cast<const Element*>(params.k) + slice;
  const Element* v = static_cast<const Element*>(params.v) + slice;
  float* o = static_cast<float*>(params.o) + slice;
  const int row = blockIdx.x * kRowsPerBlock + threadIdx.x;
  const bool active = row < S;
  const int lastKey = params.causal ? min(S - 1, int(blockIdx.x + 1) * kRowsPerBlock - 1) : S - 1;

  float query[D];
#pragma unroll
  for (int d = 0; d < D; ++d) query[d] = active ? load(q, size_t(row) * D + d) : 0.f;

  auto stageRows = [&](const Element* source, int first) {
    __syncthreads();
    for (int i = threadIdx.x; i < kKeysPerStage * D; i += kRowsPerBlock) {
      const int key = first + i / D;
      stage[i / D][i % D] = key < S ? load(source, size_t(key) * D + i % D) : 0.f;
    }
    __syncthreads();
  };
  auto score = [&](int r) {
    float dot = 0.f;
#pragma unroll
    for (int d = 0; d < D; ++d) dot = fmaf(query[d], stage[r][d], dot);
    return dot * params.scale;
  };
  auto visible = [&](int key) { return active && key < S && (!params.causal || key <= row); };

  float rowMax = -FLT_MAX;
  for (int first = 0; first <= lastKey; first += kKeysPerStage) {
    stageRows(k, first);
    for (int r = 0; r < kKeysPerStage; ++r)
      if (visible(first + r)) rowMax = fmaxf(rowMax, score(r));
  }
  float out[D];
#pragma unroll
  for (int d = 0; d < D; ++d) out[d] = 0.f;
  float sum = 0.f;
  for (int first = 0; first <= lastKey; first += kKeysPerStage) {
    stageRows(k, first);
    float weights[kKeysPerStage];
    for (int r = 0; r < kKeysPerStage; ++r) weights[r] = visible(first + r) ? __expf(score(r) - rowMax) : 0.f;
    stageRows(v, first);
    for (int r = 0; r < kKeysPerStage; ++r) {
      sum += weights[r];
#pragma unroll
      for (int d = 0; d < D; ++d) out[d] = fmaf(weights[r], stage[r][d], out[d]);
    }
  }
  if (active) {
#pragma unroll
    for (int d = 0; d < D; ++d) o[size_t(row) * D + d] = out[d] / sum;
  }
}

template <typename Element, int D>
cudaError_t launchReference(const ratchet_attention_params& p, cudaStream_t stream) {
  const dim3 grid((p.S + kRowsPerBlock - 1) / kRowsPerBlock, p.B * p.H);
  referenceKernel<Element, D><<<grid, kRowsPerBlock, 0, stream>>>(p);
  return cudaGetLastError();
}

}  // namespace

extern "C" cudaError_t ratchet_attention_reference(const ratchet_attention_params* p, cudaStream_t stream) {
  if (!p || p->S < 1 || p->B < 1 || p->H < 1 || p->B * p->H > 65535) return cudaErrorInvalidValue;
  const bool fp16 = p->dtype == RATCHET_FP16;
  switch (p->D) {
    case 64: return fp16 ? launchReference<half, 64>(*p, stream) : launchReference<__nv_bfloat16, 64>(*p, stream);
    case 128: return fp16 ? launchReference<half, 128>(*p, stream) : launchReference<__nv_bfloat16, 128>(*p, stream);
    default: return cudaErrorInvalidValue;
  }
}
