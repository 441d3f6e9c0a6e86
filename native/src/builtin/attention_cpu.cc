// attention_cpu.cc: the built-in flash_fwd problem on the CPU backend, through the Problem ABI:
// the single-threaded kernels of cpu_attention.h, inputs from the shared generator, the fp64
// reference check.
#include <algorithm>
#include <memory>
#include <string>

#include "builtin/builtins.h"
#include "builtin/cpu_attention.h"
#include "builtin/status.h"
#include "input_generator.h"

namespace ratchet {
namespace {

// Single-threaded: 1 GiB of Q, K, V and O is minutes of work per sample already, so larger
// shapes are refused rather than left to run for hours.
constexpr double kMaxWorkingSetBytes = 1024.0 * 1024 * 1024;
constexpr int64_t kMaxHeadDim = 256;

const char* const kVariantNames[] = {"cpu-blocked", "cpu-rowwise"};

struct Instance {
  AttentionShape shape;
  CpuVariant variant;
  CpuTensors tensors;
};

int32_t supports(const int64_t* params, int32_t variant, int32_t, char* why, size_t whySize) {
  const AttentionShape s = attentionShape(params);
  if (variant < 0 || size_t(variant) >= cpuVariants().size()) return 0;
  if (s.D > kMaxHeadDim) {
    writeMessage(why, whySize, "the CPU backend supports head dim D from 1 to " + std::to_string(kMaxHeadDim) + ", not " + std::to_string(s.D));
    return 0;
  }
  const double bytes = 4.0 * double(s.B) * double(s.H) * double(s.S) * double(s.D) * 2.0;
  if (bytes > kMaxWorkingSetBytes) {
    writeMessage(why, whySize, "needs " + std::to_string(int64_t(bytes / (1024 * 1024))) + " MiB for Q, K, V and O; the single-threaded CPU backend takes at most 1024 MiB");
    return 0;
  }
  return 1;
}

int32_t defaultVariant(const int64_t*, int32_t) { return 0; }

ratchet_status setup(const int64_t* params, int32_t variant, int32_t, uint32_t, void** instance, char* error, size_t errorSize) {
  return guardedStatus(error, errorSize, [&] {
    auto made = std::make_unique<Instance>();
    made->shape = attentionShape(params);
    made->variant = cpuVariants()[size_t(variant)];
    const size_t n = size_t(made->shape.elements());
    for (auto* tensor : {&made->tensors.q, &made->tensors.k, &made->tensors.v, &made->tensors.o}) tensor->resize(n);
    *instance = made.release();
    return RATCHET_OK;
  });
}

ratchet_status fillInputs(void* handle, void*, uint32_t seed, char*, size_t) {
  auto& in = *static_cast<Instance*>(handle);
  std::vector<uint16_t>* tensors[] = {&in.tensors.q, &in.tensors.k, &in.tensors.v};
  for (uint32_t t = 0; t < 3; ++t) {
    auto& data = *tensors[t];
    for (size_t i = 0; i < data.size(); ++i) data[i] = fromFloat(in.shape.dtype, sharedUniform(seed, t, i));
  }
  std::fill(in.tensors.o.begin(), in.tensors.o.end(), poison(in.shape.dtype));
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
    writeCheckResult(cpuCheckAgainstFp64(in.shape, in.tensors), result);
    return RATCHET_OK;
  });
}

void teardown(void* handle) { delete static_cast<Instance*>(handle); }

}  // namespace

const ratchet_problem kAttentionCpuProblem = {
    kAttentionName, kAttentionSummary, RATCHET_DEVICE_CPU, kAttentionParams, kAttentionParamCount, kVariantNames, 2,
    supports, defaultVariant, attentionWork, setup, fillInputs, launch, check, teardown,
};

std::vector<std::string> attentionCpuSymbols() {
  std::vector<std::string> symbols;
  for (const auto& v : cpuVariants()) symbols.emplace_back(v.function);
  return symbols;
}

}  // namespace ratchet
