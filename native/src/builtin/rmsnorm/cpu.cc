// rmsnorm/cpu.cc: the built-in rmsnorm problem on the CPU backend: the kernels of cpu_kernels.h,
// x and w from the shared generator, the fp64 reference check.
#include <algorithm>
#include <memory>
#include <string>

#include "builtin/builtin.h"
#include "builtin/rmsnorm/cpu_kernels.h"
#include "input_generator.h"

namespace ratchet {
namespace {

// As for attention: a single-threaded reference, so working sets past 1 GiB are refused.
constexpr double kMaxWorkingSetBytes = 1024.0 * 1024 * 1024;

struct RmsnormCpu : RmsnormSpec {
  static constexpr int32_t kDevice = RATCHET_DEVICE_CPU;

  struct Instance {
    RmsnormShape shape;
    CpuRmsnormVariant variant;
    RmsnormTensors tensors;
  };

  static std::vector<BuiltinVariant> variants() {
    std::vector<BuiltinVariant> out;
    for (const CpuRmsnormVariant& v : cpuRmsnormVariants()) out.push_back({v.name, v.function});
    return out;
  }

  static std::string refuses(const RmsnormShape& s, int, int) {
    const double bytes = (2.0 * double(s.elements()) + double(s.cols)) * 2.0;
    if (bytes > kMaxWorkingSetBytes) return "needs " + std::to_string(int64_t(bytes / (1024 * 1024))) + " MiB for x, w and y; the single-threaded CPU backend takes at most 1024 MiB";
    return "";
  }

  static int defaultVariant(const RmsnormShape&, int) { return 0; }

  static std::unique_ptr<Instance> setup(const RmsnormShape& shape, int variant, int) {
    auto in = std::make_unique<Instance>();
    in->shape = shape;
    in->variant = cpuRmsnormVariants()[size_t(variant)];
    in->tensors.x.resize(size_t(shape.elements()));
    in->tensors.y.resize(size_t(shape.elements()));
    in->tensors.w.resize(size_t(shape.cols));
    in->tensors.wFloat.reserve(size_t(shape.cols));
    return in;
  }

  // x is tensor 0 and w tensor 1 of the shared generator (docs/peers.md), so a peer can draw them too.
  static void fill(Instance& in, void*, uint32_t seed) {
    for (size_t i = 0; i < in.tensors.x.size(); ++i) in.tensors.x[i] = fromFloat(in.shape.dtype, sharedUniform(seed, 0, i));
    for (size_t i = 0; i < in.tensors.w.size(); ++i) in.tensors.w[i] = fromFloat(in.shape.dtype, sharedUniform(seed, 1, i));
    std::fill(in.tensors.y.begin(), in.tensors.y.end(), poison(in.shape.dtype));
  }

  static void launch(Instance& in, void*) { in.variant.kernel(in.shape, in.tensors); }

  static Correctness check(const Instance& in, void*) { return cpuRmsnormCheck(in.shape, in.tensors); }
};

RATCHET_BUILTIN(RmsnormCpu);

}  // namespace
}  // namespace ratchet
