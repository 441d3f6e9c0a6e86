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

// Single-threaded: 1 GiB of Q, K, V and O is minutes of work per sample already, so larger
// shapes are refused rather than left to run for hours.
constexpr double kMaxWorkingSetBytes = 1024.0 * 1024 * 1024;
constexpr int64_t kMaxHeadDim = 256;

struct AttentionCpu : AttentionSpec {
  static constexpr int32_t kDevice = RATCHET_DEVICE_CPU;

  struct Instance {
    AttentionShape shape;
    CpuVariant variant;
    CpuTensors tensors;
  };

  static std::vector<BuiltinVariant> variants() {
    std::vector<BuiltinVariant> out;
    for (const CpuVariant& v : cpuVariants()) out.push_back({v.name, v.function});
    return out;
  }

  static std::string refuses(const AttentionShape& s, int, int) {
    if (s.D > kMaxHeadDim) return "the CPU backend supports head dim D from 1 to " + std::to_string(kMaxHeadDim) + ", not " + std::to_string(s.D);
    const double bytes = 4.0 * double(s.B) * double(s.H) * double(s.S) * double(s.D) * 2.0;
    if (bytes > kMaxWorkingSetBytes) return "needs " + std::to_string(int64_t(bytes / (1024 * 1024))) + " MiB for Q, K, V and O; the single-threaded CPU backend takes at most 1024 MiB";
    return "";
  }

  static int defaultVariant(const AttentionShape&, int) { return 0; }

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

  static void launch(Instance& in, void*) { in.variant.kernel(in.shape, in.tensors); }

  static Correctness check(const Instance& in, void*) { return cpuCheckAgainstFp64(in.shape, in.tensors); }
};

RATCHET_BUILTIN(AttentionCpu);

}  // namespace
}  // namespace ratchet
