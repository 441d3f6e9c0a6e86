// session.h: one benchmark held open on one backend: inputs allocated, kernel chosen. The
// measurement loop in TypeScript calls check() once, then sample() in batches, then close.
#pragma once

#include <string>
#include <vector>

#include "benchmark.h"

namespace ratchet {

class Session {
 public:
  virtual ~Session() = default;
  virtual const std::string& variant() const = 0;
  // Fresh random inputs (a new seed each call), output poisoned, kernel run and compared with a
  // reference. Never times.
  virtual Correctness check() = 0;
  // Per-sample milliseconds (and SM clocks) on the inputs of the last check().
  virtual SampleBatch sample(const SampleOptions& options) = 0;
  virtual KernelCode kernel() const = 0;
  virtual ClockReading clock() = 0;
};

}  // namespace ratchet
