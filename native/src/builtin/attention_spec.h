// attention_spec.h: what the built-in flash_fwd problem declares (shared by its CPU and CUDA
// implementations, which must declare identical parameters) and its shape decoded from them.
#pragma once

#include <cmath>
#include <cstdint>

#include "half.h"
#include "ratchet/problem.h"

namespace ratchet {

constexpr const char* kAttentionName = "flash_fwd";
constexpr const char* kAttentionSummary = "attention forward O = softmax(Q K^T / sqrt(D)) V over [B, H, S, D] tensors";
constexpr uint32_t kAttentionParamCount = 6;
// In id order: flash_fwd/fp16/B32_H8_S512_D64[_causal], the ids of every earlier version.
extern const ratchet_param kAttentionParams[kAttentionParamCount];

struct AttentionShape {
  Dtype dtype = Dtype::fp16;
  int64_t B = 0, H = 0, S = 0, D = 0;
  bool causal = false;

  int64_t elements() const { return B * H * S * D; }  // of one of Q, K, V, O
  double scale() const { return 1.0 / std::sqrt(double(D)); }  // the softmax scale
};

inline AttentionShape attentionShape(const int64_t* params) {
  AttentionShape shape;
  shape.dtype = params[0] == 0 ? Dtype::fp16 : Dtype::bf16;
  shape.B = params[1];
  shape.H = params[2];
  shape.S = params[3];
  shape.D = params[4];
  shape.causal = params[5] != 0;
  return shape;
}

// Two matrix products of 2*S*S*D each per (batch, head), half of them skipped when causal (the
// convention of FlashAttention's papers); bytes: Q, K, V read once, O written once.
void attentionWork(const int64_t* params, ratchet_work* work);

// Relative Frobenius error bound of an output rounded to this dtype (fp32 accumulation).
inline double attentionTolerance(Dtype dtype) { return dtype == Dtype::fp16 ? 2e-3 : 1.6e-2; }

}  // namespace ratchet
