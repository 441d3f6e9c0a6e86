#include "builtin/cuda_support.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "input_generator.h"

namespace ratchet {
namespace {

__global__ void fillUniform16Kernel(uint16_t* out, int64_t count, uint32_t seed, uint32_t tensor, bool bf16) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const float value = sharedUniform(seed, tensor, uint64_t(i));
    if (bf16) {
      const __nv_bfloat16 h = __float2bfloat16_rn(value);
      out[i] = *reinterpret_cast<const uint16_t*>(&h);
    } else {
      const __half h = __float2half_rn(value);
      out[i] = *reinterpret_cast<const uint16_t*>(&h);
    }
  }
}

}  // namespace

void builtinCudaCheck(cudaError_t status, const char* expression, const char* file, int line) {
  if (status == cudaSuccess) return;
  const std::string path(file);
  builtinFail(ratchet_status(status), std::string(expression) + " failed at " + path.substr(path.find_last_of('/') + 1) + ":" + std::to_string(line));
}

cudaError_t fillUniform16(void* out, int64_t count, uint32_t seed, uint32_t tensor, bool bf16, cudaStream_t stream) {
  fillUniform16Kernel<<<1024, 256, 0, stream>>>(static_cast<uint16_t*>(out), count, seed, tensor, bf16);
  return cudaGetLastError();
}

Correctness correctnessFromStats(const double (&stats)[6], double tolerance, const std::string& reference) {
  Correctness result;
  result.reference = reference;
  result.tolerance = tolerance;
  uint32_t maxBits = 0;
  std::memcpy(&maxBits, &stats[2], sizeof maxBits);
  float maxAbs = 0;
  std::memcpy(&maxAbs, &maxBits, sizeof maxAbs);
  uint64_t nonFinite = 0;
  std::memcpy(&nonFinite, &stats[3], sizeof nonFinite);
  result.maxAbsError = maxAbs;
  result.outputSum = stats[4];
  result.outputAbsSum = stats[5];
  result.relError = stats[1] > 0 ? std::sqrt(stats[0] / stats[1]) : 0;
  if (nonFinite > 0) {
    result.detail = std::to_string(nonFinite) + " output elements are NaN or infinite (unwritten or overflowed)";
    result.relError = result.maxAbsError = std::numeric_limits<double>::max();
  } else if (!(result.relError <= result.tolerance)) {
    std::ostringstream detail;
    detail << "relative error " << result.relError << " over the " << result.tolerance << " bound";
    result.detail = detail.str();
  }
  result.passed = result.detail.empty();
  return result;
}

std::string gib(double bytes) {
  std::ostringstream text;
  text.precision(3);
  text << bytes / (1024.0 * 1024 * 1024) << " GiB";
  return text.str();
}

void requireFreeMemory(double neededBytes) {
  size_t freeBytes = 0, totalBytes = 0;
  RATCHET_BUILTIN_CUDA(cudaMemGetInfo(&freeBytes, &totalBytes));
  if (neededBytes > 0.95 * double(freeBytes)) {
    builtinFail(RATCHET_OUT_OF_MEMORY, "needs " + gib(neededBytes) + " of device memory; " + gib(double(freeBytes)) + " of " + gib(double(totalBytes)) + " is free");
  }
}

Correctness finishCheck(const double* deviceStats, cudaStream_t stream, double tolerance, const std::string& reference) {
  double host[6];
  RATCHET_BUILTIN_CUDA(cudaMemcpyAsync(host, deviceStats, sizeof host, cudaMemcpyDeviceToHost, stream));
  RATCHET_BUILTIN_CUDA(cudaStreamSynchronize(stream));
  return correctnessFromStats(host, tolerance, reference);
}

std::vector<BuiltinVariant> kernelTableVariants(int count, const char* (*name)(int)) {
  std::vector<BuiltinVariant> variants;
  for (int v = 0; v < count; ++v) variants.push_back({name(v), nullptr});
  return variants;
}

}  // namespace ratchet
