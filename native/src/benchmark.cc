#include "benchmark.h"

#include <cmath>

namespace ratchet {

double Benchmark::scale() const { return 1.0 / std::sqrt(double(D)); }

std::string Benchmark::id() const {
  return kernel + "/" + (dtype == Dtype::fp16 ? "fp16" : "bf16") + "/B" + std::to_string(B) + "_H" + std::to_string(H) +
         "_S" + std::to_string(S) + "_D" + std::to_string(D) + (causal ? "_causal" : "");
}

}  // namespace ratchet
