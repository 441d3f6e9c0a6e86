// rmsnorm/cuda.cu: the built-in rmsnorm problem on the CUDA backend: the kernels of
// kernels/rmsnorm.h, x and w from the shared generator on the device, and every row checked
// against its fp64 recomputation (ratchet_rmsnorm_check).
#include <memory>
#include <string>
#include <vector>

#include "builtin/cuda_support.h"
#include "builtin/rmsnorm/spec.h"
#include "rmsnorm.h"

namespace ratchet {
namespace {

ratchet_rmsnorm_params paramsFor(const RmsnormShape& s) {
  ratchet_rmsnorm_params p{};
  p.rows = s.rows;
  p.cols = s.cols;
  p.dtype = s.dtype == Dtype::fp16 ? RATCHET_FP16 : RATCHET_BF16;
  p.eps = kRmsnormEps;
  return p;
}

struct RmsnormCuda : RmsnormSpec {
  static constexpr int32_t kDevice = RATCHET_DEVICE_CUDA;

  struct Instance {
    RmsnormShape shape;
    int variant = 0;
    DeviceBuffer x, w, y, stats;

    ratchet_rmsnorm_params params() const {
      ratchet_rmsnorm_params p = paramsFor(shape);
      p.x = x.pointer;
      p.w = w.pointer;
      p.y = y.pointer;
      return p;
    }
  };

  static std::vector<BuiltinVariant> variants() { return kernelTableVariants(ratchet_rmsnorm_variant_count(), ratchet_rmsnorm_variant_name); }

  static std::string refuses(const RmsnormShape& s, int variant, int sm) {
    const ratchet_rmsnorm_params p = paramsFor(s);
    if (ratchet_rmsnorm_variant_supports(variant, &p, sm)) return "";
    const char* name = ratchet_rmsnorm_variant_name(variant);
    return std::string("variant ") + (name ? name : "?") + " needs sm_70 or newer, not sm_" + std::to_string(sm);
  }

  // defaultVariant and setup read like the other built-in's on purpose: each states its own problem
  // in BuiltinProblem's terms (builtin.h).
  static int defaultVariant(const RmsnormShape& s, int sm) {
    const ratchet_rmsnorm_params p = paramsFor(s);
    return ratchet_rmsnorm_default_variant(&p, sm);
  }

  static std::unique_ptr<Instance> setup(const RmsnormShape& shape, int variant, int device) {
    RATCHET_BUILTIN_CUDA(cudaSetDevice(device));
    auto in = std::make_unique<Instance>();
    in->shape = shape;
    in->variant = variant;
    const size_t tensorBytes = size_t(shape.elements()) * 2;
    requireFreeMemory(2.0 * double(tensorBytes) + double(shape.cols) * 2 + 64);
    RATCHET_BUILTIN_CUDA(in->x.allocate(tensorBytes));
    RATCHET_BUILTIN_CUDA(in->y.allocate(tensorBytes));
    RATCHET_BUILTIN_CUDA(in->w.allocate(size_t(shape.cols) * 2));
    RATCHET_BUILTIN_CUDA(in->stats.allocate(6 * sizeof(double)));
    return in;
  }

  // x is tensor 0 and w tensor 1 of the shared generator, as on the CPU backend.
  static void fill(Instance& in, void* stream, uint32_t seed) {
    const auto s = static_cast<cudaStream_t>(stream);
    const bool bf16 = in.shape.dtype == Dtype::bf16;
    RATCHET_BUILTIN_CUDA(fillUniform16(in.x.pointer, in.shape.elements(), seed, 0, bf16, s));
    RATCHET_BUILTIN_CUDA(fillUniform16(in.w.pointer, in.shape.cols, seed, 1, bf16, s));
    RATCHET_BUILTIN_CUDA(poison16(in.y.pointer, in.shape.elements(), s));
  }

  static void launch(Instance& in, void* stream) {
    const ratchet_rmsnorm_params p = in.params();
    const cudaError_t status = ratchet_rmsnorm(in.variant, &p, static_cast<cudaStream_t>(stream));
    if (status != cudaSuccess) builtinFail(ratchet_status(status), "ratchet_rmsnorm failed");
  }

  static Correctness check(Instance& in, void* stream) {
    const auto s = static_cast<cudaStream_t>(stream);
    const ratchet_rmsnorm_params p = in.params();
    double* stats = in.stats.as<double>();
    RATCHET_BUILTIN_CUDA(cudaMemsetAsync(stats, 0, 6 * sizeof(double), s));
    RATCHET_BUILTIN_CUDA(ratchet_rmsnorm_check(&p, stats, s));
    return finishCheck(stats, s, rmsnormTolerance(in.shape.dtype), "cuda-fp64-reference (all rows)");
  }
};

RATCHET_BUILTIN(RmsnormCuda);

}  // namespace
}  // namespace ratchet
