// benchmark.h: one attention problem, copied out of its JS description once at the boundary.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "half.h"

namespace ratchet {

struct Benchmark {
  std::string kernel;
  Dtype dtype = Dtype::fp16;
  int64_t B = 0, H = 0, S = 0, D = 0;
  bool causal = false;

  int64_t elements() const { return B * H * S * D; }  // of one of Q, K, V, O
  double scale() const;                              // 1/sqrt(D), the softmax scale
  std::string id() const;                            // flash_fwd/fp16/B1_H2_S64_D64[_causal]
};

struct SampleOptions {
  int warmup = 0;
  int samples = 1;
  bool l2Flush = false;
  int launchesPerSample = 1;
  // A busy-wait of this many microseconds inside each sample's timed region, after the kernel:
  // a slowdown of known size, for `ratchet calibrate`. 0 in normal runs.
  double extraUs = 0;
};

struct Correctness {
  bool passed = false;
  double maxAbsError = 0;
  double relError = 0;
  double tolerance = 0;
  std::string reference;
  std::string detail;  // empty when passed
  // Sum and sum of |x| of the whole output; NaN when not computed.
  double outputSum = std::nan("");
  double outputAbsSum = std::nan("");
};

// One sample() call: per-sample times and, where the device can tell, the SM clock read right
// after each sample finished (so a regression can be checked in cycles, not only in time).
struct SampleBatch {
  std::vector<double> ms;
  std::vector<double> clockMHz;  // empty when the clock cannot be read
};

// Which compiled code a session times: `arch` (sm_90, cpu) and the symbol of its entry point, the
// keys of the build's kernel identity file (native/scripts/kernel-identity.mjs).
struct KernelCode {
  std::string arch;
  std::string symbol;
};

struct ClockReading {
  double smClockMHz = -1;  // < 0: unknown
  std::vector<std::string> throttleReasons;
};

// Relative Frobenius error bound of an output rounded to this dtype (fp32 accumulation).
inline double toleranceFor(Dtype dtype) { return dtype == Dtype::fp16 ? 2e-3 : 1.6e-2; }

}  // namespace ratchet
