// rmsnorm_cpu.cc: the built-in rmsnorm problem on the CPU backend, through the Problem ABI: the
// kernels of cpu_rmsnorm.h, x and w from the shared generator, the fp64 reference check.
#include <algorithm>
#include <memory>
#include <string>

#include "builtin/builtins.h"
#include "builtin/cpu_rmsnorm.h"
#include "builtin/status.h"
#include "input_generator.h"

namespace ratchet {
namespace {

// As for attention: a single-threaded reference, so working sets past 1 GiB are refused.
constexpr double kMaxWorkingSetBytes = 1024.0 * 1024 * 1024;

// Same order as cpuRmsnormVariants().
const char* const kVariantNames[] = {"cpu-cached", "cpu-twopass"};

struct Instance {
  RmsnormShape shape;
  CpuRmsnormVariant variant;
  RmsnormTensors tensors;
};

int32_t supports(const int64_t* params, int32_t variant, int32_t, char* why, size_t whySize) {
  const RmsnormShape s = rmsnormShape(params);
  if (variant < 0 || size_t(variant) >= cpuRmsnormVariants().size()) return 0;
  const double bytes = (2.0 * double(s.elements()) + double(s.cols)) * 2.0;
  if (bytes > kMaxWorkingSetBytes) {
    writeMessage(why, whySize, "needs " + std::to_string(int64_t(bytes / (1024 * 1024))) + " MiB for x, w and y; the single-threaded CPU backend takes at most 1024 MiB");
    return 0;
  }
  return 1;
}

int32_t defaultVariant(const int64_t*, int32_t) { return 0; }

ratchet_status setup(const int64_t* params, int32_t variant, int32_t, uint32_t, void** instance, char* error, size_t errorSize) {
  return guardedStatus(error, errorSize, [&] {
    auto made = std::make_unique<Instance>();
    made->shape = rmsnormShape(params);
    made->variant = cpuRmsnormVariants()[size_t(variant)];
    made->tensors.x.resize(size_t(made->shape.elements()));
    made->tensors.y.resize(size_t(made->shape.elements()));
    made->tensors.w.resize(size_t(made->shape.cols));
    made->tensors.wFloat.reserve(size_t(made->shape.cols));
    *instance = made.release();
    return RATCHET_OK;
  });
}

// x is tensor 0 and w tensor 1 of the shared generator (docs/peers.md), so a peer can draw them too.
ratchet_status fillInputs(void* handle, void*, uint32_t seed, char*, size_t) {
  auto& in = *static_cast<Instance*>(handle);
  for (size_t i = 0; i < in.tensors.x.size(); ++i) in.tensors.x[i] = fromFloat(in.shape.dtype, sharedUniform(seed, 0, i));
  for (size_t i = 0; i < in.tensors.w.size(); ++i) in.tensors.w[i] = fromFloat(in.shape.dtype, sharedUniform(seed, 1, i));
  std::fill(in.tensors.y.begin(), in.tensors.y.end(), poison(in.shape.dtype));
  return RATCHET_OK;
}

ratchet_status launch(void* handle, void*, char*, size_t) {
  auto& in = *static_cast<Instance*>(handle);
  in.variant.kernel(in.shape, in.tensors);
  return RATCHET_OK;
}

ratchet_status check(void* handle, void*, ratchet_check_result* result, char* error, size_t errorSize) {
  return guardedStatus(error, errorSize, [&] {
    const auto& in = *static_cast<Instance*>(handle);
    writeCheckResult(cpuRmsnormCheck(in.shape, in.tensors), result);
    return RATCHET_OK;
  });
}

void teardown(void* handle) { delete static_cast<Instance*>(handle); }

}  // namespace

const ratchet_problem kRmsnormCpuProblem = {
    kRmsnormName, kRmsnormSummary, RATCHET_DEVICE_CPU, kRmsnormParams, kRmsnormParamCount, kVariantNames, 2,
    supports, defaultVariant, rmsnormWork, setup, fillInputs, launch, check, teardown,
};

std::vector<std::string> rmsnormCpuSymbols() {
  std::vector<std::string> symbols;
  for (const auto& v : cpuRmsnormVariants()) symbols.emplace_back(v.function);
  return symbols;
}

}  // namespace ratchet
