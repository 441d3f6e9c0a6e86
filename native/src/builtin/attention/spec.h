// attention/spec.h: what the built-in flash_fwd problem declares, shared by its CPU and CUDA
// implementations (which must declare identical parameters), and its shape decoded from them.
#pragma once

#include <cmath>
#include <cstdint>

#include "builtin/builtin.h"
#include "half.h"

namespace ratchet {

struct AttentionShape {
  Dtype dtype = Dtype::fp16;
  int64_t B = 0, H = 0, S = 0, D = 0;
  bool causal = false;

  int64_t elements() const { return B * H * S * D; }  // of one of Q, K, V, O
  double scale() const { return 1.0 / std::sqrt(double(D)); }  // the softmax scale
};

struct AttentionSpec {
  static constexpr const char* kName = "flash_fwd";
  static constexpr const char* kSummary = "attention forward O = softmax(Q K^T / sqrt(D)) V over [B, H, S, D] tensors";
  // In id order: flash_fwd/fp16/B32_H8_S512_D64[_causal], the ids of every earlier version. The
  // ranges bound every backend (the CPU takes D up to 256, the CUDA kernels 64 and 128): what one
  // backend cannot run it refuses with its own reason.
  static constexpr ratchet_param kParams[] = {
      kDtypeParam,
      intParam("B", "batch", 1, 65535),
      intParam("H", "heads", 1, 65535),
      intParam("S", "sequence length (queries and keys)", 1, int64_t(1) << 30),
      intParam("D", "head dim", 1, 256),
      boolParam("causal", "mask keys after the query"),
  };

  static AttentionShape shape(const int64_t* params) {
    AttentionShape shape;
    shape.dtype = dtypeOf(params[0]);
    shape.B = params[1];
    shape.H = params[2];
    shape.S = params[3];
    shape.D = params[4];
    shape.causal = params[5] != 0;
    return shape;
  }

  // Two matrix products of 2*S*S*D each per (batch, head), half of them skipped when causal (the
  // convention of FlashAttention's papers); bytes: Q, K, V read once, O written once.
  static ratchet_work work(const AttentionShape& s) {
    const double full = 4.0 * double(s.B) * double(s.H) * double(s.S) * double(s.S) * double(s.D);
    return {s.causal ? full / 2 : full, 4.0 * double(s.elements()) * 2};
  }
};

// Relative Frobenius error bound of an output rounded to this dtype (fp32 accumulation).
inline double attentionTolerance(Dtype dtype) { return dtype == Dtype::fp16 ? 2e-3 : 1.6e-2; }

}  // namespace ratchet
