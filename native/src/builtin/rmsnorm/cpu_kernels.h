// rmsnorm/cpu_kernels.h: RMSNorm forward on the CPU, single-threaded, fp32 accumulation over fp16/bf16
// stored as uint16. Two variants, so autotuning has a choice to make without a GPU, and an fp64
// reference to check both.
#pragma once

#include <cstdint>
#include <vector>

#include "builtin/rmsnorm/spec.h"
#include "session.h"

namespace ratchet {

struct RmsnormTensors {
  std::vector<uint16_t> x, y;  // [rows, cols]
  std::vector<uint16_t> w;     // [cols]
  std::vector<float> wFloat;   // scratch: w converted once per call (cpuRmsnormCached)
};

// Row by row, two passes over each row: the sum of squares, then the scaled product, converting
// every element of x and w from 16 bits each time it is read.
void cpuRmsnormTwoPass(const RmsnormShape& s, RmsnormTensors& t);
// w converted to fp32 once per call, and the row's fp32 values kept for the second pass; the sum
// of squares in 8 independent accumulators, so it can vectorize.
void cpuRmsnormCached(const RmsnormShape& s, RmsnormTensors& t);

using CpuRmsnormKernel = void (*)(const RmsnormShape&, RmsnormTensors&);

struct CpuRmsnormVariant {
  const char* name;
  CpuRmsnormKernel kernel;
  // The kernel's function name in namespace ratchet: how the build's identity file finds its code.
  const char* function;
};

// The variants, default first. (A table type per kernel file, alike across them: builtin.h says why.)
const std::vector<CpuRmsnormVariant>& cpuRmsnormVariants();

// ||y - ref|| / ||ref|| and max |y - ref| against the fp64 RMSNorm of the same x and w.
Correctness cpuRmsnormCheck(const RmsnormShape& s, const RmsnormTensors& t);

}  // namespace ratchet
