#include "builtin/builtins.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>

#include "builtin/builtin.h"
#include "failure.h"

namespace ratchet {
namespace {

// Never destroyed (as the entries themselves, builtin.h).
std::vector<BuiltinRegistration>& registrations() {
  static auto* all = new std::vector<BuiltinRegistration>;
  return *all;
}

bool before(const ratchet_problem& a, const ratchet_problem& b) {
  const int byName = std::strcmp(a.name, b.name);
  return byName != 0 ? byName < 0 : (a.device == RATCHET_DEVICE_CUDA && b.device != RATCHET_DEVICE_CUDA);
}

void requireOwnSymbols(const std::vector<BuiltinRegistration>& all) {
  std::map<std::string, std::string> runBy;  // function -> the variant that runs it
  for (const BuiltinRegistration& registration : all) {
    const ratchet_problem& p = registration.problem();
    if (p.device != RATCHET_DEVICE_CPU) continue;
    const std::vector<std::string> symbols = registration.symbols();
    if (symbols.size() != p.variant_count) {
      fail("ERR_RATCHET_INTERNAL", "built-in problem " + std::string(p.name) + " names " + std::to_string(symbols.size()) + " functions for its " + std::to_string(p.variant_count) + " CPU variants");
    }
    for (uint32_t v = 0; v < p.variant_count; ++v) {
      const std::string variant = std::string(p.name) + " (" + p.variants[v] + ")";
      const auto [known, added] = runBy.emplace(symbols[v], variant);
      if (!added) fail("ERR_RATCHET_INTERNAL", "built-in " + variant + " runs " + symbols[v] + ", as " + known->second + " does: each CPU variant needs a function of its own");
    }
  }
}

}  // namespace

bool registerBuiltin(const BuiltinRegistration& registration) {
  registrations().push_back(registration);
  return true;
}

std::vector<ProblemDef> builtinProblems() {
  std::vector<BuiltinRegistration> all = registrations();
  std::stable_sort(all.begin(), all.end(), [](const BuiltinRegistration& a, const BuiltinRegistration& b) { return before(a.problem(), b.problem()); });
  requireOwnSymbols(all);
  // Copied into storage never freed: ProblemImpl keeps pointers to the entries.
  auto* entries = new std::vector<ratchet_problem>;
  for (const BuiltinRegistration& registration : all) entries->push_back(registration.problem());
  const auto* table = new ratchet_problem_table{RATCHET_PROBLEM_ABI_VERSION, sizeof(ratchet_problem), entries->data(), uint32_t(entries->size())};
  std::vector<ProblemDef> defs = readProblemTable(table, ProblemSource{}, "the built-in problems");
  for (ProblemDef& def : defs) {
    for (const BuiltinRegistration& registration : all) {
      const ratchet_problem& p = registration.problem();
      if (def.cpu && p.device == RATCHET_DEVICE_CPU && def.name == p.name) def.cpu->symbols = registration.symbols();
    }
  }
  return defs;
}

}  // namespace ratchet
