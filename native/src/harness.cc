#include "harness.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "failure.h"

namespace ratchet {
namespace {

std::string knownNames(const ProblemImpl& impl) {
  std::string known;
  for (const auto& name : impl.variants) known += (known.empty() ? "" : ", ") + name;
  return known;
}

std::string onDevice(int sm) { return sm > 0 ? " on sm_" + std::to_string(sm) : ""; }

}  // namespace

std::vector<std::string> runnableVariants(const BenchmarkArgs& args, const ProblemImpl& impl, int sm) {
  const ratchet_problem& abi = *impl.abi;
  ProblemMessage why;
  const int preferred = abi.default_variant(args.values.data(), sm);
  const int count = int(impl.variants.size());
  std::vector<std::string> names;
  if (preferred >= 0 && preferred < count && abi.supports(args.values.data(), preferred, sm, why.data(), why.size())) names.push_back(impl.variants[size_t(preferred)]);
  for (int v = 0; v < count; ++v) {
    if (v != preferred && abi.supports(args.values.data(), v, sm, why.data(), why.size())) names.push_back(impl.variants[size_t(v)]);
  }
  return names;
}

int chooseVariant(const BenchmarkArgs& args, const ProblemImpl& impl, const std::string& requested, int sm, const char* label) {
  const ratchet_problem& abi = *impl.abi;
  const int count = int(impl.variants.size());
  int index = -1;
  if (requested.empty()) {
    index = abi.default_variant(args.values.data(), sm);
  } else {
    const auto found = std::find(impl.variants.begin(), impl.variants.end(), requested);
    if (found == impl.variants.end()) {
      fail("ERR_RATCHET_INVALID_BENCHMARK", "unknown " + std::string(label) + " variant '" + requested + "' (known: " + knownNames(impl) + ")");
    }
    index = int(found - impl.variants.begin());
  }
  ProblemMessage why;
  if (index >= 0 && index < count) {
    if (abi.supports(args.values.data(), index, sm, why.data(), why.size())) return index;
    fail("ERR_RATCHET_UNSUPPORTED_SHAPE", args.id + ": " + (why.text[0] ? why.str() : "variant '" + impl.variants[size_t(index)] + "' does not support this shape" + onDevice(sm)));
  }
  // No default: every variant's own reason, each said once.
  std::vector<std::string> reasons;
  for (int v = 0; v < count; ++v) {
    if (abi.supports(args.values.data(), v, sm, why.data(), why.size()) || !why.text[0]) continue;
    if (std::find(reasons.begin(), reasons.end(), why.str()) == reasons.end()) reasons.push_back(why.str());
  }
  std::string text;
  for (const auto& reason : reasons) text += (text.empty() ? "" : "; ") + reason;
  fail("ERR_RATCHET_UNSUPPORTED_SHAPE", args.id + ": " + (text.empty() ? "no compiled variant supports this shape" + onDevice(sm) : text));
}

void raiseProblemStatus(const BenchmarkArgs& args, const char* phase, ratchet_status status, const std::string& message) {
  switch (status) {
    case RATCHET_OUT_OF_MEMORY: fail("ERR_RATCHET_OUT_OF_MEMORY", args.id + ": " + message);
    case RATCHET_UNSUPPORTED: fail("ERR_RATCHET_UNSUPPORTED_SHAPE", args.id + ": " + message);
    case RATCHET_FAILED: fail("ERR_RATCHET_KERNEL_FAILED", args.id + ": " + phase + " failed: " + message);
    default: fail("ERR_RATCHET_KERNEL_FAILED", args.id + ": " + phase + " failed with status " + std::to_string(status) + ": " + message);
  }
}

Correctness correctnessFrom(const ratchet_check_result& result) {
  Correctness c;
  c.passed = result.passed != 0;
  c.maxAbsError = result.max_abs_error;
  c.relError = result.rel_error;
  c.tolerance = result.tolerance;
  // Never trust a plugin's strings to be terminated.
  c.reference = std::string(result.reference, strnlen(result.reference, sizeof result.reference));
  c.detail = std::string(result.detail, strnlen(result.detail, sizeof result.detail));
  c.outputSum = result.output_sum;
  c.outputAbsSum = result.output_abs_sum;
  // A pass is only a pass when the figures say so too.
  if (c.passed && !(c.relError <= c.tolerance)) {
    std::ostringstream detail;
    detail << "the check reported a pass, but its relative error " << c.relError << " is over its tolerance " << c.tolerance;
    c.passed = false;
    c.detail = detail.str();
  }
  if (c.passed) c.detail.clear();
  if (!c.passed && c.detail.empty()) c.detail = "the problem's check did not pass (it gave no detail)";
  return c;
}

}  // namespace ratchet
