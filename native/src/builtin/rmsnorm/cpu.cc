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

struct RmsnormCpu : RmsnormSpec, CpuBuiltin<CpuRmsnormVariant, cpuRmsnormVariants> {
  struct Instance {
    RmsnormShape shape;
    CpuRmsnormVariant variant;
    RmsnormTensors tensors;
  };

  static std::string refuses(const RmsnormShape& s, int, int) { return cpuWorkingSetRefusal((2.0 * double(s.elements()) + double(s.cols)) * 2.0, "x, w and y"); }

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

  static Correctness check(const Instance& in, void*) { return cpuRmsnormCheck(in.shape, in.tensors); }
};

RATCHET_BUILTIN(RmsnormCpu);

}  // namespace
}  // namespace ratchet
