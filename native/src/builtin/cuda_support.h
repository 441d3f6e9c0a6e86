// cuda_support.h: what the built-in CUDA problems share: device buffers, inputs from the shared
// generator, the comparison statistics their reference kernels produce, and CUDA errors thrown as
// ProblemFailures carrying the cudaError_t, which the ABI entry returns as the status (builtin.h).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "builtin/builtin.h"
#include "session.h"

namespace ratchet {

// Throws the cudaError_t of a failed call as the ABI status, naming the call and its place.
void builtinCudaCheck(cudaError_t status, const char* expression, const char* file, int line);
#define RATCHET_BUILTIN_CUDA(expression) ::ratchet::builtinCudaCheck((expression), #expression, __FILE__, __LINE__)

// A device allocation freed (errors ignored) with its owner.
struct DeviceBuffer {
  void* pointer = nullptr;
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (pointer) cudaFree(pointer);
  }
  cudaError_t allocate(size_t bytes) { return cudaMalloc(&pointer, bytes < 16 ? 16 : bytes); }
  template <typename T>
  T* as() const { return static_cast<T*>(pointer); }
};

// Element i of tensor `tensor` from the shared generator (input_generator.h), rounded to fp16/bf16.
cudaError_t fillUniform16(void* out, int64_t count, uint32_t seed, uint32_t tensor, bool bf16, cudaStream_t stream);

// Poison: 0xffff is a NaN in both fp16 and bf16.
inline cudaError_t poison16(void* out, int64_t count, cudaStream_t stream) { return cudaMemsetAsync(out, 0xff, size_t(count) * 2, stream); }

// A Correctness from the six statistics of a comparison kernel: [0] sum err^2, [1] sum ref^2,
// [2] max |err| (float bits), [3] non-finite outputs (uint64), [4] sum, [5] sum |x| of the output.
Correctness correctnessFromStats(const double (&stats)[6], double tolerance, const std::string& reference);

// The end of a check(): the six statistics a comparison kernel left in `deviceStats` on `stream`
// read back, as the Correctness against `tolerance`.
Correctness finishCheck(const double* deviceStats, cudaStream_t stream, double tolerance, const std::string& reference);

// A kernel table's variants (count and name(i) of its C interface), in its order.
std::vector<BuiltinVariant> kernelTableVariants(int count, const char* (*name)(int));

// "3.2 GiB"
std::string gib(double bytes);

// Throws RATCHET_OUT_OF_MEMORY, saying how much was needed and how much is free, when that much
// device memory is not: checked before allocating.
void requireFreeMemory(double neededBytes);

}  // namespace ratchet
