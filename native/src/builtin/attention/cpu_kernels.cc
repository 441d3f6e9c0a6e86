#include "builtin/attention/cpu_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ratchet {
namespace {

// 16 query rows x 64 keys: a K/V block of 64 x D floats (32 KB at D = 128) stays in L1/L2 while
// all 16 rows use it.
constexpr int64_t kQueryBlock = 16;
constexpr int64_t kKeyBlock = 64;

// One (batch, head) slice converted to fp32 once, as the GPU kernels load tiles once.
void toFloat(Dtype dtype, const uint16_t* src, int64_t count, std::vector<float>& dst) {
  dst.resize(size_t(count));
  for (int64_t i = 0; i < count; ++i) dst[size_t(i)] = ratchet::toFloat(dtype, src[i]);
}

}  // namespace

// cpuCheckAgainstFp64 below repeats this loop in double as the reference (it says why).
void cpuAttentionRowwise(const AttentionShape& b, CpuTensors& t) {
  const int64_t S = b.S, D = b.D, slice = S * D;
  const float scale = float(b.scale());
  std::vector<float> q, k, v, scores(static_cast<size_t>(S)), acc(static_cast<size_t>(D));
  for (int64_t bh = 0; bh < b.B * b.H; ++bh) {
    toFloat(b.dtype, t.q.data() + bh * slice, slice, q);
    toFloat(b.dtype, t.k.data() + bh * slice, slice, k);
    toFloat(b.dtype, t.v.data() + bh * slice, slice, v);
    uint16_t* out = t.o.data() + bh * slice;
    for (int64_t i = 0; i < S; ++i) {
      const int64_t keys = b.causal ? i + 1 : S;
      float rowMax = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < keys; ++j) {
        float dot = 0;
        for (int64_t d = 0; d < D; ++d) dot += q[size_t(i * D + d)] * k[size_t(j * D + d)];
        scores[size_t(j)] = dot * scale;
        rowMax = std::max(rowMax, scores[size_t(j)]);
      }
      float sum = 0;
      std::fill(acc.begin(), acc.end(), 0.0f);
      for (int64_t j = 0; j < keys; ++j) {
        const float p = std::exp(scores[size_t(j)] - rowMax);
        sum += p;
        for (int64_t d = 0; d < D; ++d) acc[size_t(d)] += p * v[size_t(j * D + d)];
      }
      for (int64_t d = 0; d < D; ++d) out[i * D + d] = fromFloat(b.dtype, acc[size_t(d)] / sum);
    }
  }
}

void cpuAttentionBlocked(const AttentionShape& b, CpuTensors& t) {
  const int64_t S = b.S, D = b.D, slice = S * D;
  const float scale = float(b.scale());
  std::vector<float> q, k, v;
  std::vector<float> acc(static_cast<size_t>(kQueryBlock * D)), rowMax(kQueryBlock), rowSum(kQueryBlock), scores(kKeyBlock);
  for (int64_t bh = 0; bh < b.B * b.H; ++bh) {
    toFloat(b.dtype, t.q.data() + bh * slice, slice, q);
    toFloat(b.dtype, t.k.data() + bh * slice, slice, k);
    toFloat(b.dtype, t.v.data() + bh * slice, slice, v);
    uint16_t* out = t.o.data() + bh * slice;
    for (int64_t i0 = 0; i0 < S; i0 += kQueryBlock) {
      const int64_t rows = std::min(kQueryBlock, S - i0);
      std::fill(acc.begin(), acc.end(), 0.0f);
      std::fill(rowMax.begin(), rowMax.end(), -std::numeric_limits<float>::infinity());
      std::fill(rowSum.begin(), rowSum.end(), 0.0f);
      // Causal: key blocks past the block's last query are skipped outright.
      const int64_t keyEnd = b.causal ? std::min(S, i0 + rows) : S;
      for (int64_t j0 = 0; j0 < keyEnd; j0 += kKeyBlock) {
        const int64_t cols = std::min(kKeyBlock, keyEnd - j0);
        for (int64_t r = 0; r < rows; ++r) {
          const int64_t i = i0 + r;
          const int64_t lastKey = b.causal ? std::min(cols, i - j0 + 1) : cols;
          if (lastKey <= 0) continue;
          float blockMax = -std::numeric_limits<float>::infinity();
          for (int64_t c = 0; c < lastKey; ++c) {
            float dot = 0;
            for (int64_t d = 0; d < D; ++d) dot += q[size_t(i * D + d)] * k[size_t((j0 + c) * D + d)];
            scores[size_t(c)] = dot * scale;
            blockMax = std::max(blockMax, scores[size_t(c)]);
          }
          // Online softmax: rescale what was accumulated under the old maximum.
          const float newMax = std::max(rowMax[size_t(r)], blockMax);
          const float correction = std::exp(rowMax[size_t(r)] - newMax);
          float* rowAcc = acc.data() + r * D;
          for (int64_t d = 0; d < D; ++d) rowAcc[d] *= correction;
          float blockSum = 0;
          for (int64_t c = 0; c < lastKey; ++c) {
            const float p = std::exp(scores[size_t(c)] - newMax);
            blockSum += p;
            const float* vRow = v.data() + (j0 + c) * D;
            for (int64_t d = 0; d < D; ++d) rowAcc[d] += p * vRow[d];
          }
          rowSum[size_t(r)] = rowSum[size_t(r)] * correction + blockSum;
          rowMax[size_t(r)] = newMax;
        }
      }
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t d = 0; d < D; ++d) out[(i0 + r) * D + d] = fromFloat(b.dtype, acc[size_t(r * D + d)] / rowSum[size_t(r)]);
      }
    }
  }
}

// The table reads like rmsnorm's: its type and this function's code are in the build's identity (builtin.h says why).
const std::vector<CpuVariant>& cpuVariants() {
  static const std::vector<CpuVariant> variants = {
      {"cpu-blocked", cpuAttentionBlocked, "cpuAttentionBlocked"},
      {"cpu-rowwise", cpuAttentionRowwise, "cpuAttentionRowwise"},
  };
  return variants;
}

// The reference is cpuAttentionRowwise's loop again in double, on purpose: the plainest form of the
// algorithm, sharing no code with the kernels it checks (and each function's code is hashed alone).
// The verdict at the end repeats the other kernel file's (rmsnorm/cpu_kernels.cc) on purpose:
// this file's string constants share one section with the ones the variants above use, and a
// variant's code hash (its identity) covers their offsets; moving these strings elsewhere moved
// those offsets, and the variants' identities with them (measured: cpuRmsnormCached changed).
Correctness cpuCheckAgainstFp64(const AttentionShape& b, const CpuTensors& t) {
  const int64_t S = b.S, D = b.D, slice = S * D;
  const double scale = b.scale();
  double diff2 = 0, ref2 = 0, maxAbs = 0;
  int64_t firstBad = -1;
  std::vector<double> scores(static_cast<size_t>(S)), ref(static_cast<size_t>(D));
  for (int64_t bh = 0; bh < b.B * b.H; ++bh) {
    const uint16_t *q = t.q.data() + bh * slice, *k = t.k.data() + bh * slice, *v = t.v.data() + bh * slice;
    const uint16_t* o = t.o.data() + bh * slice;
    for (int64_t i = 0; i < S; ++i) {
      const int64_t keys = b.causal ? i + 1 : S;
      double rowMax = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < keys; ++j) {
        double dot = 0;
        for (int64_t d = 0; d < D; ++d) dot += double(toFloat(b.dtype, q[i * D + d])) * double(toFloat(b.dtype, k[j * D + d]));
        scores[size_t(j)] = dot * scale;
        rowMax = std::max(rowMax, scores[size_t(j)]);
      }
      double sum = 0;
      std::fill(ref.begin(), ref.end(), 0.0);
      for (int64_t j = 0; j < keys; ++j) {
        const double p = std::exp(scores[size_t(j)] - rowMax);
        sum += p;
        for (int64_t d = 0; d < D; ++d) ref[size_t(d)] += p * double(toFloat(b.dtype, v[j * D + d]));
      }
      for (int64_t d = 0; d < D; ++d) {
        const double expected = ref[size_t(d)] / sum;
        const double got = double(toFloat(b.dtype, o[i * D + d]));
        const double err = std::abs(got - expected);
        if (!std::isfinite(got) && firstBad < 0) firstBad = bh * slice + i * D + d;
        if (std::isfinite(err)) maxAbs = std::max(maxAbs, err);
        diff2 += err * err;
        ref2 += expected * expected;
      }
    }
  }
  Correctness result;
  result.outputSum = result.outputAbsSum = 0;
  for (const uint16_t h : t.o) {
    const double value = double(toFloat(b.dtype, h));
    result.outputSum += value;
    result.outputAbsSum += std::abs(value);
  }
  result.reference = "cpu-fp64";
  result.tolerance = attentionTolerance(b.dtype);
  result.maxAbsError = maxAbs;
  result.relError = ref2 > 0 ? std::sqrt(diff2 / ref2) : 0;
  std::ostringstream detail;
  if (firstBad >= 0) {
    detail << "output element " << firstBad << " is NaN or infinite (unwritten or overflowed)";
    result.relError = std::numeric_limits<double>::max();
    result.maxAbsError = std::numeric_limits<double>::max();
  } else if (!(result.relError <= result.tolerance)) {
    detail << "relative error " << result.relError << " over the " << result.tolerance << " bound";
  }
  result.detail = detail.str();
  result.passed = result.detail.empty();
  return result;
}

}  // namespace ratchet
