// builtins.h: the problems compiled into the addon, as tables of the Problem ABI like any
// plugin's: flash_fwd (attention) and rmsnorm, each on the CPU and, with CUDA compiled in, the GPU.
#pragma once

#include <string>
#include <vector>

#include "problem_def.h"
#include "ratchet/problem.h"

namespace ratchet {

extern const ratchet_problem kAttentionCpuProblem;
extern const ratchet_problem kRmsnormCpuProblem;
// The functions the CPU variants run, in variant order (keys of the build's identity file).
std::vector<std::string> attentionCpuSymbols();
std::vector<std::string> rmsnormCpuSymbols();

#ifdef RATCHET_WITH_CUDA
// Built on first use (their variant names come from the kernels' tables).
const ratchet_problem& attentionCudaProblem();
const ratchet_problem& rmsnormCudaProblem();
#endif

// The built-in tables read through the same validation as a plugin's.
std::vector<ProblemDef> builtinProblems();

}  // namespace ratchet
