// attention.h: the C launch API of Ratchet's attention kernels.
//
// Computes O = softmax(Q K^T * scale) V for tensors laid out [B, H, S, D], contiguous, with an
// optional causal mask (query i attends to keys 0..i). Plain C so the kernels can be used
// outside Node: fill a params struct, pick a variant (or -1 for the default), launch on a stream.
// Nothing here allocates, synchronizes, prints or times: callers own memory and streams.
#pragma once

#include <cuda_runtime.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { RATCHET_FP16 = 0, RATCHET_BF16 = 1 } ratchet_dtype;

typedef struct {
  const void* q;   // [B, H, S, D] of dtype
  const void* k;   // [B, H, S, D] of dtype
  const void* v;   // [B, H, S, D] of dtype
  void* o;         // [B, H, S, D] of dtype (flash kernels) or float (reference kernel)
  int B, H, S, D;
  ratchet_dtype dtype;
  int causal;      // nonzero: mask keys after the query's position
  float scale;     // softmax scale; callers pass 1/sqrt(D) unless told otherwise
} ratchet_attention_params;

// Compiled variants of the flash-attention forward kernel (tile sizes, warps, pipeline stages).
// (rmsnorm.h declares the same queries for its kernel on purpose: each public header stands alone.)
// Variant 0..count-1; `name` is stable across builds and is what results and tuning files record.
int ratchet_flash_fwd_variant_count(void);
const char* ratchet_flash_fwd_variant_name(int variant);
// Nonzero when `variant` can run `params` (dtype, head dim) on a device of compute capability
// `sm` (e.g. 90).
int ratchet_flash_fwd_variant_supports(int variant, const ratchet_attention_params* params, int sm);
// The variant used when none is chosen, for these params on this device; -1 when none supports them.
int ratchet_flash_fwd_default_variant(const ratchet_attention_params* params, int sm);
// Launches `variant` (-1: the default). Returns cudaErrorInvalidValue for unsupported params,
// otherwise the launch's error (cudaGetLastError after the launch).
cudaError_t ratchet_flash_fwd(int variant, const ratchet_attention_params* params, cudaStream_t stream);
// The __global__ function ratchet_flash_fwd would launch for these params (-1: the default), for
// cudaFuncGetName / cudaFuncGetAttributes; only the dtype, D and causal fields are read. NULL when
// unsupported.
const void* ratchet_flash_fwd_kernel(int variant, const ratchet_attention_params* params);

// The plain reference: fp32 math, no tensor cores, used only to check. Writes `params->o` as
// float [B, H, S, D].
cudaError_t ratchet_attention_reference(const ratchet_attention_params* params, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
