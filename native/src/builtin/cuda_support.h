// cuda_support.h: what the built-in CUDA problems share: device buffers, inputs from the shared
// generator, the comparison statistics their reference kernels produce, and CUDA errors returned
// as ABI statuses (the built-ins keep the rules of ratchet/problem.h like any plugin).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "builtin/status.h"
#include "session.h"

namespace ratchet {

// Returns the cudaError_t of a failed call as the ABI status, with the call and place in `error`.
#define RATCHET_RETURN_IF_CUDA(expression, error, errorSize)                                         \
  do {                                                                                                \
    const cudaError_t status_ = (expression);                                                         \
    if (status_ != cudaSuccess) {                                                                      \
      writeMessage(error, errorSize, std::string(#expression) + " failed at " + std::string(__FILE__).substr(std::string(__FILE__).find_last_of('/') + 1) + ":" + std::to_string(__LINE__)); \
      return ratchet_status(status_);                                                                 \
    }                                                                                                 \
  } while (0)

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
// read back, and written to `result` as the Correctness against `tolerance`.
ratchet_status finishCheck(const double* deviceStats, cudaStream_t stream, double tolerance, const std::string& reference,
                           ratchet_check_result* result, char* error, size_t errorSize);

// A kernel table's variant names (count and name(i) of its C interface), for a ratchet_problem.
std::vector<const char*> variantNames(int count, const char* (*name)(int));

// "3.2 GiB"
std::string gib(double bytes);

// How much device memory is free, for a check before allocating (an OOM message that says how
// much was needed and how much there was).
ratchet_status requireFreeMemory(double neededBytes, char* error, size_t errorSize);

}  // namespace ratchet
