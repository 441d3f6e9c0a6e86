#include "builtin/rmsnorm/cpu_kernels.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace ratchet {
namespace {

// Independent partial sums: wide enough for an AVX register of floats, so the compiler can keep
// them in one vector instead of one serial chain of additions.
constexpr int kLanes = 8;

}  // namespace

void cpuRmsnormTwoPass(const RmsnormShape& s, RmsnormTensors& t) {
  const int64_t cols = s.cols;
  for (int64_t r = 0; r < s.rows; ++r) {
    const uint16_t* x = t.x.data() + r * cols;
    uint16_t* y = t.y.data() + r * cols;
    float sumSquares = 0;
    for (int64_t c = 0; c < cols; ++c) {
      const float v = toFloat(s.dtype, x[c]);
      sumSquares += v * v;
    }
    const float scale = 1.0f / std::sqrt(sumSquares / float(cols) + kRmsnormEps);
    for (int64_t c = 0; c < cols; ++c) y[c] = fromFloat(s.dtype, toFloat(s.dtype, x[c]) * scale * toFloat(s.dtype, t.w[size_t(c)]));
  }
}

void cpuRmsnormCached(const RmsnormShape& s, RmsnormTensors& t) {
  const int64_t cols = s.cols;
  t.wFloat.resize(size_t(cols));
  for (int64_t c = 0; c < cols; ++c) t.wFloat[size_t(c)] = toFloat(s.dtype, t.w[size_t(c)]);
  std::vector<float> row(static_cast<size_t>(cols));
  for (int64_t r = 0; r < s.rows; ++r) {
    const uint16_t* x = t.x.data() + r * cols;
    uint16_t* y = t.y.data() + r * cols;
    float lanes[kLanes] = {0};
    int64_t c = 0;
    for (; c + kLanes <= cols; c += kLanes) {
      for (int l = 0; l < kLanes; ++l) {
        const float v = toFloat(s.dtype, x[c + l]);
        row[size_t(c + l)] = v;
        lanes[l] += v * v;
      }
    }
    for (; c < cols; ++c) {
      row[size_t(c)] = toFloat(s.dtype, x[c]);
      lanes[0] += row[size_t(c)] * row[size_t(c)];
    }
    float sumSquares = 0;
    for (float lane : lanes) sumSquares += lane;
    const float scale = 1.0f / std::sqrt(sumSquares / float(cols) + kRmsnormEps);
    for (c = 0; c < cols; ++c) y[c] = fromFloat(s.dtype, row[size_t(c)] * scale * t.wFloat[size_t(c)]);
  }
}

// The table reads like attention's: its type and this function's code are in the build's identity (builtin.h says why).
const std::vector<CpuRmsnormVariant>& cpuRmsnormVariants() {
  static const std::vector<CpuRmsnormVariant> variants = {
      {"cpu-cached", cpuRmsnormCached, "cpuRmsnormCached"},
      {"cpu-twopass", cpuRmsnormTwoPass, "cpuRmsnormTwoPass"},
  };
  return variants;
}

// The verdict at the end repeats attention's on purpose: see the note in attention/cpu_kernels.cc.
Correctness cpuRmsnormCheck(const RmsnormShape& s, const RmsnormTensors& t) {
  double diff2 = 0, ref2 = 0, maxAbs = 0;
  int64_t firstBad = -1;
  Correctness result;
  result.outputSum = result.outputAbsSum = 0;
  for (int64_t r = 0; r < s.rows; ++r) {
    const uint16_t* x = t.x.data() + r * s.cols;
    const uint16_t* y = t.y.data() + r * s.cols;
    double sumSquares = 0;
    for (int64_t c = 0; c < s.cols; ++c) sumSquares += double(toFloat(s.dtype, x[c])) * double(toFloat(s.dtype, x[c]));
    const double scale = 1.0 / std::sqrt(sumSquares / double(s.cols) + double(kRmsnormEps));
    for (int64_t c = 0; c < s.cols; ++c) {
      const double expected = double(toFloat(s.dtype, x[c])) * scale * double(toFloat(s.dtype, t.w[size_t(c)]));
      const double got = double(toFloat(s.dtype, y[c]));
      if (!std::isfinite(got)) {
        if (firstBad < 0) firstBad = r * s.cols + c;
        continue;
      }
      const double err = std::abs(got - expected);
      maxAbs = std::max(maxAbs, err);
      diff2 += err * err;
      ref2 += expected * expected;
      result.outputSum += got;
      result.outputAbsSum += std::abs(got);
    }
  }
  result.reference = "cpu-fp64";
  result.tolerance = rmsnormTolerance(s.dtype);
  result.maxAbsError = maxAbs;
  result.relError = ref2 > 0 ? std::sqrt(diff2 / ref2) : 0;
  std::ostringstream detail;
  if (firstBad >= 0) {
    detail << "output element " << firstBad << " is NaN or infinite (unwritten or overflowed)";
    result.relError = result.maxAbsError = std::numeric_limits<double>::max();
  } else if (!(result.relError <= result.tolerance)) {
    detail << "relative error " << result.relError << " over the " << result.tolerance << " bound";
  }
  result.detail = detail.str();
  result.passed = result.detail.empty();
  return result;
}

}  // namespace ratchet
