// attention/cpu_kernels.h: attention forward on the CPU, single-threaded, fp32 accumulation over
// fp16/bf16 inputs stored as uint16. Two real variants with different loop orders, so
// autotuning has a choice to make on machines without a GPU, and an fp64 reference to check both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "builtin/attention/spec.h"
#include "session.h"

namespace ratchet {

struct CpuTensors {
  std::vector<uint16_t> q, k, v, o;  // [B, H, S, D]
};

// One query row at a time: all its scores, softmax, then P V. Simple; reads K and V once per row.
void cpuAttentionRowwise(const AttentionShape& b, CpuTensors& t);
// Flash-style: blocks of query rows against blocks of keys with an online softmax, so a K/V block
// is reused by every row of the query block while it is in cache.
void cpuAttentionBlocked(const AttentionShape& b, CpuTensors& t);

using CpuKernel = void (*)(const AttentionShape&, CpuTensors&);

struct CpuVariant {
  const char* name;
  CpuKernel kernel;
  // The kernel's function name in namespace ratchet: how the build's identity file finds its code.
  const char* function;
};

// The variants, default first. (A table type per kernel file, alike across them: builtin.h says why.)
const std::vector<CpuVariant>& cpuVariants();

// ||out - ref|| / ||ref|| and max |out - ref| against softmax(QK^T * scale) V in double precision.
Correctness cpuCheckAgainstFp64(const AttentionShape& b, const CpuTensors& t);

}  // namespace ratchet
