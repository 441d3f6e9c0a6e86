// rmsnorm_spec.h: what the built-in rmsnorm problem declares (identical on CPU and CUDA) and its
// shape decoded from the parameter values.
#pragma once

#include <cstdint>

#include "half.h"
#include "ratchet/problem.h"

namespace ratchet {

constexpr const char* kRmsnormName = "rmsnorm";
constexpr const char* kRmsnormSummary = "RMSNorm forward y = x * rsqrt(mean(x^2) + 1e-6) * w over rows x cols, fp32 accumulation";
constexpr uint32_t kRmsnormParamCount = 3;
// In id order: rmsnorm/bf16/rows4096_cols8192.
extern const ratchet_param kRmsnormParams[kRmsnormParamCount];
// The epsilon of the summary; every implementation and reference uses this one.
constexpr float kRmsnormEps = 1e-6f;

struct RmsnormShape {
  Dtype dtype = Dtype::fp16;
  int64_t rows = 0, cols = 0;
  int64_t elements() const { return rows * cols; }  // of x, and of y
};

inline RmsnormShape rmsnormShape(const int64_t* params) {
  RmsnormShape shape;
  shape.dtype = params[0] == 0 ? Dtype::fp16 : Dtype::bf16;
  shape.rows = params[1];
  shape.cols = params[2];
  return shape;
}

// Memory-bound: bytes are x read once, w read once, y written once; 4 FLOPs an element (square
// and add, then two multiplies).
void rmsnormWork(const int64_t* params, ratchet_work* work);

// Relative Frobenius error bound of y rounded to this dtype: the rounding of y dominates.
inline double rmsnormTolerance(Dtype dtype) { return dtype == Dtype::fp16 ? 2e-3 : 1.6e-2; }

}  // namespace ratchet
