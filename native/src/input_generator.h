// input_generator.h: the shared input generator (docs/peers.md). Element i of tensor t (Q = 0,
// K = 1, V = 2) for a seed is murmur3's finalizer over a Weyl sequence, top 24 bits mapped to a
// float in [-1, 1) exactly. The CPU backend, the CUDA backend and the PyTorch peer all draw the
// same numbers, so outputs can be compared across them. Never all zeros.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define RATCHET_HOST_DEVICE __host__ __device__
#else
#define RATCHET_HOST_DEVICE
#endif

namespace ratchet {

RATCHET_HOST_DEVICE inline float sharedUniform(uint32_t seed, uint32_t tensor, uint64_t index) {
  uint32_t x = uint32_t(index) * 0x9E3779B1u + (seed * 0x85EBCA77u + tensor * 0xC2B2AE3Du);
  x ^= x >> 16;
  x *= 0x85EBCA6Bu;
  x ^= x >> 13;
  x *= 0xC2B2AE35u;
  x ^= x >> 16;
  return float(x >> 8) * (1.0f / 8388608.0f) - 1.0f;  // 2^-23: exact in float32
}

}  // namespace ratchet
