// rmsnorm/spec.h: what the built-in rmsnorm problem declares (identical on CPU and CUDA) and its
// shape decoded from the parameter values.
#pragma once

#include <cstdint>

#include "builtin/builtin.h"
#include "half.h"

namespace ratchet {

// The epsilon of the summary; every implementation and reference uses this one.
constexpr float kRmsnormEps = 1e-6f;

struct RmsnormShape {
  Dtype dtype = Dtype::fp16;
  int64_t rows = 0, cols = 0;
  int64_t elements() const { return rows * cols; }  // of x, and of y
};

struct RmsnormSpec {
  static constexpr const char* kName = "rmsnorm";
  static constexpr const char* kSummary = "RMSNorm forward y = x * rsqrt(mean(x^2) + 1e-6) * w over rows x cols, fp32 accumulation";
  // In id order: rmsnorm/bf16/rows4096_cols8192. rows up to 2^31 - 1: one CTA (or warp) per row
  // stays within a 1-D grid; cols up to 2^24, where a row's fp32 sum of squares still carries about
  // 12 good bits per element.
  static constexpr ratchet_param kParams[] = {
      kDtypeParam,
      intParam("rows", "rows of x", 1, (int64_t(1) << 31) - 1),
      intParam("cols", "elements per row", 1, int64_t(1) << 24),
  };

  static RmsnormShape shape(const int64_t* params) {
    RmsnormShape shape;
    shape.dtype = dtypeOf(params[0]);
    shape.rows = params[1];
    shape.cols = params[2];
    return shape;
  }

  // Memory-bound: bytes are x read once, w read once, y written once; 4 FLOPs an element (square
  // and add, then two multiplies).
  static ratchet_work work(const RmsnormShape& s) { return {4.0 * double(s.elements()), (2.0 * double(s.elements()) + double(s.cols)) * 2}; }
};

// Relative Frobenius error bound of y rounded to this dtype: the rounding of y dominates.
inline double rmsnormTolerance(Dtype dtype) { return dtype == Dtype::fp16 ? 2e-3 : 1.6e-2; }

}  // namespace ratchet
