// attention/cpu.cc: the built-in flash_fwd problem on the CPU backend: the single-threaded kernels
// of cpu_kernels.h, inputs from the shared generator, the fp64 reference check.
#include <algorithm>
#include <memory>
#include <string>

#include "builtin/attention/cpu_kernels.h"
#include "builtin/builtin.h"
#include "input_generator.h"

namespace ratchet {
namespace {

constexpr int64_t kMaxHeadDim = 256;

struct AttentionCpu : AttentionSpec, CpuBuiltin<CpuVariant, cpuVariants> {
  struct Instance {
    AttentionShape shape;
    CpuVariant variant;
    CpuTensors tensors;
  };

  static std::string refuses(const AttentionShape& s, int, int) {
    if (s.D > kMaxHeadDim) return "the CPU backend supports head dim D from 1 to " + std::to_string(kMaxHeadDim) + ", not " + std::to_string(s.D);
    return cpuWorkingSetRefusal(4.0 * double(s.B) * double(s.H) * double(s.S) * double(s.D) * 2.0, "Q, K, V and O");
  }

  static std::unique_ptr<Instance> setup(const AttentionShape& shape, int variant, int) {
    auto in = std::make_unique<Instance>();
    in->shape = shape;
    in->variant = cpuVariants()[size_t(variant)];
    for (auto* tensor : {&in->tensors.q, &in->tensors.k, &in->tensors.v, &in->tensors.o}) tensor->resize(size_t(shape.elements()));
    return in;
  }

  static void fill(Instance& in, void*, uint32_t seed) {
    std::vector<uint16_t>* inputs[] = {&in.tensors.q, &in.tensors.k, &in.tensors.v};
    for (uint32_t t = 0; t < 3; ++t) {
      auto& data = *inputs[t];
      for (size_t i = 0; i < data.size(); ++i) data[i] = fromFloat(in.shape.dtype, sharedUniform(seed, t, i));
    }
    std::fill(in.tensors.o.begin(), in.tensors.o.end(), poison(in.shape.dtype));
  }

  static Correctness check(const Instance& in, void*) { return cpuCheckAgainstFp64(in.shape, in.tensors); }
};

RATCHET_BUILTIN(AttentionCpu);

}  // namespace
}  // namespace ratchet
