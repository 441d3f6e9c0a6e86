#include "builtin/builtins.h"

namespace ratchet {

std::vector<ProblemDef> builtinProblems() {
  // CUDA first: the order variants have always been listed in.
  std::vector<ratchet_problem> problems;
#ifdef RATCHET_WITH_CUDA
  problems.push_back(attentionCudaProblem());
  problems.push_back(rmsnormCudaProblem());
#endif
  problems.push_back(kAttentionCpuProblem);
  problems.push_back(kRmsnormCpuProblem);
  // The table and its entries are copied into statics: ProblemImpl keeps pointers to them.
  static const std::vector<ratchet_problem> kept = problems;
  static const ratchet_problem_table table = {RATCHET_PROBLEM_ABI_VERSION, sizeof(ratchet_problem), kept.data(), uint32_t(kept.size())};
  std::vector<ProblemDef> defs = readProblemTable(&table, ProblemSource{}, "the built-in problems");
  for (ProblemDef& def : defs) {
    if (!def.cpu) continue;
    def.cpu->symbols = def.name == kAttentionCpuProblem.name ? attentionCpuSymbols() : rmsnormCpuSymbols();
  }
  return defs;
}

}  // namespace ratchet
