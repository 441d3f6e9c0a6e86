// registry.h: every problem this process can time: the built-ins (compiled into the addon) and
// those of each plugin loaded so far. Problems are never removed, so pointers stay valid.
#pragma once

#include <string>
#include <vector>

#include "problem_def.h"

namespace ratchet {

// Built-ins first, then plugins in load order.
std::vector<const ProblemDef*> allProblems();
// Throws ERR_RATCHET_UNKNOWN_PROBLEM naming the known ones.
const ProblemDef& findProblem(const std::string& name);
// dlopen(RTLD_NOW | RTLD_LOCAL), entry point, ABI version, table validated, names unique among all
// problems; then its problems are registered. Idempotent per file (by real path). `deviceCode`
// names the architectures of its fatbin ("sm_90, compute_80"; empty when unknown), for messages.
// Every failure is ERR_RATCHET_PLUGIN naming `path`, and registers nothing.
std::vector<const ProblemDef*> loadPlugin(const std::string& path, const std::string& deviceCode);

}  // namespace ratchet
