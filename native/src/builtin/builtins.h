// builtins.h: the problems compiled into the addon (builtins.txt lists them: flash_fwd and rmsnorm,
// each on the CPU and, with CUDA compiled in, on the GPU), each registered by its own file
// (builtin.h), read as one table of the Problem ABI like any plugin's.
#pragma once

#include <vector>

#include "problem_def.h"

namespace ratchet {

// The registered built-ins, validated as a plugin's table is: by name, and CUDA before CPU within
// one (the order variants have always been listed in). ERR_RATCHET_INTERNAL where a CPU variant
// names no function, or one another built-in's variant names too: the function's code hash is the
// variant's identity, so two variants sharing one would be taken for the same code.
std::vector<ProblemDef> builtinProblems();

}  // namespace ratchet
