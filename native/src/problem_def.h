// problem_def.h: a problem as the addon holds it once its table (built-in or plugin) was read and
// validated: names copied out of the table, one implementation per backend that runs it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ratchet/problem.h"

namespace ratchet {

struct ParamDef {
  std::string name;
  std::string description;  // empty when the table gave none
  int32_t type = RATCHET_PARAM_INT;
  int64_t min = 0, max = 0;              // int
  std::vector<int64_t> intValues;        // int: the only allowed values; empty when any in range
  std::vector<std::string> enumValues;   // enum
};

// Where a problem comes from: "builtin", or "plugin" with its path and the ABI version it uses.
struct ProblemSource {
  std::string kind = "builtin";
  std::string path;
  uint32_t abiVersion = RATCHET_PROBLEM_ABI_VERSION;
  // The device code a plugin's fatbin carries ("sm_90, compute_80"), for the message when the GPU
  // finds no image for itself; empty when unknown.
  std::string deviceCode;
};

// One backend's implementation: the table entry and its variant names (index = ABI index).
struct ProblemImpl {
  const ratchet_problem* abi = nullptr;
  std::vector<std::string> variants;
  // Built-in CPU problems only: the function each variant runs, by the name the build's identity
  // file keys it with (native/scripts/kernel-identity.mjs). Empty otherwise.
  std::vector<std::string> symbols;
};

struct ProblemDef {
  std::string name;
  std::string summary;
  std::vector<ParamDef> params;
  ProblemSource source;
  std::optional<ProblemImpl> cpu, cuda;

  // The implementation for "cpu" or "cuda"; nullptr when the problem does not run there.
  const ProblemImpl* impl(const std::string& backend) const {
    if (backend == "cpu") return cpu ? &*cpu : nullptr;
    if (backend == "cuda") return cuda ? &*cuda : nullptr;
    return nullptr;
  }
  std::vector<std::string> backends() const;
  // Every variant name, CUDA first (as the built-in flash_fwd always listed them).
  std::vector<std::string> variants() const;
};

// One benchmark of one problem, copied out of its JS object: a value per declared parameter
// (in declared order; enums as indices, bools as 0/1) and its id.
struct BenchmarkArgs {
  const ProblemDef* problem = nullptr;
  std::vector<int64_t> values;
  std::string id;
};

// The id of docs/problem-contract.md: <kernel>/<enum values>/<ints as name+value, true bools as name>.
std::string benchmarkId(const ProblemDef& problem, const std::vector<int64_t>& values);

// Reads and validates a table: names, parameter specs and variants well formed, no duplicates,
// every function present. Throws ERR_RATCHET_PLUGIN naming `where` and the fault ("a descriptor
// that lies"). Problems of one name declared for both CPU and CUDA are merged into one.
std::vector<ProblemDef> readProblemTable(const ratchet_problem_table* table, const ProblemSource& source, const std::string& where);

}  // namespace ratchet
