// rmsnorm_cuda.cu: the built-in rmsnorm problem on the CUDA backend, through the Problem ABI: the
// kernels of kernels/rmsnorm.h, x and w from the shared generator on the device, and every row
// checked against its fp64 recomputation (ratchet_rmsnorm_check).
#include <memory>
#include <string>
#include <vector>

#include "builtin/builtins.h"
#include "builtin/cuda_support.h"
#include "builtin/rmsnorm_spec.h"
#include "rmsnorm.h"

namespace ratchet {
namespace {

struct Instance {
  RmsnormShape shape;
  int variant = 0;
  DeviceBuffer x, w, y, stats;
};

ratchet_rmsnorm_params paramsFor(const Instance& in) {
  ratchet_rmsnorm_params p{};
  p.x = in.x.pointer;
  p.w = in.w.pointer;
  p.y = in.y.pointer;
  p.rows = in.shape.rows;
  p.cols = in.shape.cols;
  p.dtype = in.shape.dtype == Dtype::fp16 ? RATCHET_FP16 : RATCHET_BF16;
  p.eps = kRmsnormEps;
  return p;
}

ratchet_rmsnorm_params shapeParams(const int64_t* params) {
  const RmsnormShape s = rmsnormShape(params);
  ratchet_rmsnorm_params p{};
  p.rows = s.rows;
  p.cols = s.cols;
  p.dtype = s.dtype == Dtype::fp16 ? RATCHET_FP16 : RATCHET_BF16;
  p.eps = kRmsnormEps;
  return p;
}

int32_t supports(const int64_t* params, int32_t variant, int32_t sm, char* why, size_t whySize) {
  const ratchet_rmsnorm_params p = shapeParams(params);
  if (ratchet_rmsnorm_variant_supports(variant, &p, sm)) return 1;
  writeMessage(why, whySize, std::string("variant ") + (ratchet_rmsnorm_variant_name(variant) ? ratchet_rmsnorm_variant_name(variant) : "?") + " needs sm_70 or newer, not sm_" + std::to_string(sm));
  return 0;
}

int32_t defaultVariant(const int64_t* params, int32_t sm) {
  const ratchet_rmsnorm_params p = shapeParams(params);
  return ratchet_rmsnorm_default_variant(&p, sm);
}

ratchet_status setup(const int64_t* params, int32_t variant, int32_t device, uint32_t, void** instance, char* error, size_t errorSize) {
  return guardedStatus(error, errorSize, [&]() -> ratchet_status {
    RATCHET_RETURN_IF_CUDA(cudaSetDevice(device), error, errorSize);
    auto in = std::make_unique<Instance>();
    in->shape = rmsnormShape(params);
    in->variant = variant;
    const size_t tensorBytes = size_t(in->shape.elements()) * 2;
    const ratchet_status memory = requireFreeMemory(2.0 * double(tensorBytes) + double(in->shape.cols) * 2 + 64, error, errorSize);
    if (memory != RATCHET_OK) return memory;
    RATCHET_RETURN_IF_CUDA(in->x.allocate(tensorBytes), error, errorSize);
    RATCHET_RETURN_IF_CUDA(in->y.allocate(tensorBytes), error, errorSize);
    RATCHET_RETURN_IF_CUDA(in->w.allocate(size_t(in->shape.cols) * 2), error, errorSize);
    RATCHET_RETURN_IF_CUDA(in->stats.allocate(6 * sizeof(double)), error, errorSize);
    *instance = in.release();
    return RATCHET_OK;
  });
}

// x is tensor 0 and w tensor 1 of the shared generator, as on the CPU backend.
ratchet_status fillInputs(void* handle, void* stream, uint32_t seed, char* error, size_t errorSize) {
  auto& in = *static_cast<Instance*>(handle);
  const auto s = static_cast<cudaStream_t>(stream);
  const bool bf16 = in.shape.dtype == Dtype::bf16;
  RATCHET_RETURN_IF_CUDA(fillUniform16(in.x.pointer, in.shape.elements(), seed, 0, bf16, s), error, errorSize);
  RATCHET_RETURN_IF_CUDA(fillUniform16(in.w.pointer, in.shape.cols, seed, 1, bf16, s), error, errorSize);
  RATCHET_RETURN_IF_CUDA(poison16(in.y.pointer, in.shape.elements(), s), error, errorSize);
  return RATCHET_OK;
}

ratchet_status launch(void* handle, void* stream, char* error, size_t errorSize) {
  const auto& in = *static_cast<Instance*>(handle);
  const ratchet_rmsnorm_params p = paramsFor(in);
  const cudaError_t status = ratchet_rmsnorm(in.variant, &p, static_cast<cudaStream_t>(stream));
  if (status != cudaSuccess) writeMessage(error, errorSize, "ratchet_rmsnorm failed");
  return ratchet_status(status);
}

ratchet_status check(void* handle, void* stream, ratchet_check_result* result, char* error, size_t errorSize) {
  auto& in = *static_cast<Instance*>(handle);
  const auto s = static_cast<cudaStream_t>(stream);
  const ratchet_rmsnorm_params p = paramsFor(in);
  double* stats = in.stats.as<double>();
  RATCHET_RETURN_IF_CUDA(cudaMemsetAsync(stats, 0, 6 * sizeof(double), s), error, errorSize);
  RATCHET_RETURN_IF_CUDA(ratchet_rmsnorm_check(&p, stats, s), error, errorSize);
  return finishCheck(stats, s, rmsnormTolerance(in.shape.dtype), "cuda-fp64-reference (all rows)", result, error, errorSize);
}

void teardown(void* handle) { delete static_cast<Instance*>(handle); }

}  // namespace

const ratchet_problem& rmsnormCudaProblem() {
  static const std::vector<const char*> names = variantNames(ratchet_rmsnorm_variant_count(), ratchet_rmsnorm_variant_name);
  static const ratchet_problem problem = {
      kRmsnormName, kRmsnormSummary, RATCHET_DEVICE_CUDA, kRmsnormParams, kRmsnormParamCount, names.data(), uint32_t(names.size()),
      supports, defaultVariant, rmsnormWork, setup, fillInputs, launch, check, teardown,
  };
  return problem;
}

}  // namespace ratchet
