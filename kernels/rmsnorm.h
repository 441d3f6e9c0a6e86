// rmsnorm.h: the C launch API of Ratchet's RMSNorm forward kernels.
//
// Computes y = x * rsqrt(mean(x^2) + eps) * w for x and y laid out [rows, cols], contiguous, and
// w [cols]; fp16 or bf16 in and out, fp32 accumulation. Memory-bound: one launch must read x and
// w once and write y once. Plain C like attention.h (whose ratchet_dtype it shares): fill a params
// struct, pick a variant (or -1 for the default), launch on a stream. Nothing here allocates,
// synchronizes, prints or times.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "attention.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const void* x;  // [rows, cols] of dtype
  const void* w;  // [cols] of dtype
  void* y;        // [rows, cols] of dtype
  int64_t rows, cols;
  ratchet_dtype dtype;
  float eps;      // added to mean(x^2) before the square root
} ratchet_rmsnorm_params;

// Variants 0..count-1; `name` is stable across builds and is what results and tuning files record.
// (The same queries as attention.h's on purpose: each public header stands alone.)
int ratchet_rmsnorm_variant_count(void);
const char* ratchet_rmsnorm_variant_name(int variant);
// Nonzero when `variant` can run `params` on a device of compute capability `sm` (e.g. 90).
int ratchet_rmsnorm_variant_supports(int variant, const ratchet_rmsnorm_params* params, int sm);
// The variant used when none is chosen; -1 when none supports the params.
int ratchet_rmsnorm_default_variant(const ratchet_rmsnorm_params* params, int sm);
// Launches `variant` (-1: the default). cudaErrorInvalidValue for unsupported params, otherwise
// the launch's error.
cudaError_t ratchet_rmsnorm(int variant, const ratchet_rmsnorm_params* params, cudaStream_t stream);

// The reference check: recomputes every row in fp64 from x and w and compares it with y,
// accumulating into `stats` (device memory, 6 doubles the caller zeroes): [0] sum (y - ref)^2,
// [1] sum ref^2, [2] max |y - ref| (as the bits of a float), [3] count of non-finite y (as a
// uint64), [4] sum y, [5] sum |y| (finite elements only).
cudaError_t ratchet_rmsnorm_check(const ratchet_rmsnorm_params* params, double* stats, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
