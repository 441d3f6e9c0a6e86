// builtin.h: how a built-in problem is written and registered. A built-in is a struct of plain C++
// functions over its own Shape and Instance; BuiltinProblem<P> generates from it the entry of the
// Problem ABI (native/include/ratchet/problem.h) that a plugin would write by hand: the trampolines,
// which keep the ABI's rules (no exception crosses it, messages go into the caller's buffer), and
// the list of functions its CPU variants run. RATCHET_BUILTIN(P) registers it; the built-ins are
// then read through the same validation as a plugin's table (builtins.cc). Which built-ins a build
// compiles is builtins.txt beside this file (read by CMakeLists.txt and native/scripts).
//
// What P declares:
//   kName, kSummary, kDevice (RATCHET_DEVICE_CPU or _CUDA), kParams (ratchet_param[], in id order)
//   Shape shape(const int64_t* params)                       the parameter values decoded
//   ratchet_work work(const Shape&)
//   std::vector<BuiltinVariant> variants()                   default first where there is one
//   std::string refuses(const Shape&, int variant, int sm)   why it cannot run; empty when it can
//   int defaultVariant(const Shape&, int sm)                 -1 when no variant can
//   struct Instance; std::unique_ptr<Instance> setup(const Shape&, int variant, int device)
//   void fill(Instance&, void* stream, uint32_t seed)        fresh inputs, poisoned output
//   void launch(Instance&, void* stream)                     the timed call
//   Correctness check(Instance&, void* stream)               against the problem's reference
// Failures are thrown: ProblemFailure with an ABI status (builtinFail, RATCHET_BUILTIN_CUDA in
// cuda_support.h); std::bad_alloc reads as RATCHET_OUT_OF_MEMORY, anything else as RATCHET_FAILED.
// So two built-ins' registration files read alike, function for function (`duplicates` pairs
// attention/cpu.cc with rmsnorm/cpu.cc, and the cuda.cu files): each states its own problem in
// the same terms, which is the point; what they could share is here.
#pragma once

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "half.h"
#include "ratchet/problem.h"
#include "session.h"

namespace ratchet {

// One variant: its name, and for CPU variants the function it runs (in namespace ratchet), the key
// of the build's identity file (native/scripts/kernel-identity.mjs); nullptr for CUDA variants,
// whose kernels are found from the launch the harness captures.
struct BuiltinVariant {
  const char* name;
  const char* symbol;
};

// A failure of a built-in's function, with the ABI status it stands for.
struct ProblemFailure : std::runtime_error {
  ratchet_status status;
  ProblemFailure(ratchet_status status, const std::string& message) : std::runtime_error(message), status(status) {}
};

[[noreturn]] inline void builtinFail(ratchet_status status, const std::string& message) { throw ProblemFailure(status, message); }

// Copies `message` into an ABI message buffer, truncated to fit, always NUL-terminated.
inline void writeMessage(char* buffer, size_t size, const std::string& message) {
  if (!buffer || size == 0) return;
  const size_t length = std::min(message.size(), size - 1);
  std::memcpy(buffer, message.data(), length);
  buffer[length] = '\0';
}

// Runs `body`; what it throws becomes the status (and message) the ABI returns.
template <typename Body>
ratchet_status guardedStatus(char* error, size_t size, Body&& body) {
  try {
    body();
    return RATCHET_OK;
  } catch (const ProblemFailure& failure) {
    writeMessage(error, size, failure.what());
    return failure.status;
  } catch (const std::bad_alloc&) {
    writeMessage(error, size, "out of host memory");
    return RATCHET_OUT_OF_MEMORY;
  } catch (const std::exception& failure) {
    writeMessage(error, size, failure.what());
    return RATCHET_FAILED;
  }
}

// A Correctness of the harness's own form, written into the ABI's result struct.
inline void writeCheckResult(const Correctness& c, ratchet_check_result* result) {
  result->passed = c.passed ? 1 : 0;
  result->max_abs_error = c.maxAbsError;
  result->rel_error = c.relError;
  result->tolerance = c.tolerance;
  result->output_sum = c.outputSum;
  result->output_abs_sum = c.outputAbsSum;
  writeMessage(result->reference, sizeof result->reference, c.reference);
  writeMessage(result->detail, sizeof result->detail, c.detail);
}

// ---- what the CPU built-ins share --------------------------------------------------------------

// The variants of a CPU kernel file's table (entries {name, kernel, function}), in its order. Each
// kernel file declares a table type of its own, alike from one file to the next (cpu_kernels.h):
// one template type for all changed the code of the tables in the build's identity file.
template <class Table>
std::vector<BuiltinVariant> cpuTableVariants(const Table& table) {
  std::vector<BuiltinVariant> out;
  for (const auto& v : table) out.push_back({v.name, v.function});
  return out;
}

// What every CPU built-in's registration shares: its device, its variants (the kernel file's
// table, default first) and the timed call: the variant's kernel on the instance's shape and
// tensors (an Instance holds `shape`, `variant` (an entry of the table) and `tensors`).
template <class Variant, const std::vector<Variant>& (*kTable)()>
struct CpuBuiltin {
  static constexpr int32_t kDevice = RATCHET_DEVICE_CPU;
  static std::vector<BuiltinVariant> variants() { return cpuTableVariants(kTable()); }
  template <class Shape>
  static int defaultVariant(const Shape&, int) {
    return 0;
  }
  template <class Instance>
  static void launch(Instance& in, void*) {
    in.variant.kernel(in.shape, in.tensors);
  }
};

// Why a single-threaded CPU built-in refuses a working set of `bytes` (its `tensors` named, as
// "Q, K, V and O"), or "" within the cap: past 1 GiB one call is minutes of work already, so larger
// shapes are refused rather than left to run for hours.
inline std::string cpuWorkingSetRefusal(double bytes, const char* tensors) {
  constexpr double kMaxBytes = 1024.0 * 1024 * 1024;
  if (bytes <= kMaxBytes) return "";
  return "needs " + std::to_string(int64_t(bytes / (1024 * 1024))) + " MiB for " + tensors + "; the single-threaded CPU backend takes at most 1024 MiB";
}

// ---- parameters every built-in declares alike --------------------------------------------------

inline constexpr const char* kDtypeNames[] = {"fp16", "bf16"};
// The element type, first in every built-in's id (flash_fwd/fp16/..., rmsnorm/bf16/...).
inline constexpr ratchet_param kDtypeParam = {"dtype", nullptr, RATCHET_PARAM_ENUM, 0, 0, nullptr, 0, kDtypeNames, 2};
inline Dtype dtypeOf(int64_t index) { return index == 0 ? Dtype::fp16 : Dtype::bf16; }

constexpr ratchet_param intParam(const char* name, const char* description, int64_t min, int64_t max) {
  return {name, description, RATCHET_PARAM_INT, min, max, nullptr, 0, nullptr, 0};
}
constexpr ratchet_param boolParam(const char* name, const char* description) {
  return {name, description, RATCHET_PARAM_BOOL, 0, 0, nullptr, 0, nullptr, 0};
}

// ---- the generated ABI entry -------------------------------------------------------------------

// What registration records: the entry (built on first use: CUDA variant names come from the
// kernels' own tables) and its variants' functions.
struct BuiltinRegistration {
  const ratchet_problem& (*problem)();
  std::vector<std::string> (*symbols)();
};

// Adds a built-in (RATCHET_BUILTIN, at load time); builtins.cc reads them all.
bool registerBuiltin(const BuiltinRegistration& registration);

template <class P>
class BuiltinProblem {
 public:
  // Never destroyed: a session's thread may still call into it while the process exits.
  static const ratchet_problem& problem() {
    static const ratchet_problem* entry = new ratchet_problem{
        P::kName, P::kSummary, P::kDevice, P::kParams, uint32_t(std::size(P::kParams)), names().data(), uint32_t(names().size()),
        supports, defaultVariant, work, setup, fillInputs, launch, check, teardown,
    };
    return *entry;
  }

  static std::vector<std::string> symbols() {
    std::vector<std::string> out;
    for (const BuiltinVariant& v : variants())
      if (v.symbol) out.emplace_back(v.symbol);
    return out;
  }

 private:
  using Instance = typename P::Instance;

  static const std::vector<BuiltinVariant>& variants() {
    static const auto* all = new std::vector<BuiltinVariant>(P::variants());
    return *all;
  }
  static const std::vector<const char*>& names() {
    static const auto* all = [] {
      auto* out = new std::vector<const char*>;
      for (const BuiltinVariant& v : variants()) out->push_back(v.name);
      return out;
    }();
    return *all;
  }

  static int32_t supports(const int64_t* params, int32_t variant, int32_t sm, char* why, size_t whySize) {
    if (variant < 0 || size_t(variant) >= variants().size()) return 0;
    try {
      const std::string reason = P::refuses(P::shape(params), variant, sm);
      writeMessage(why, whySize, reason);
      return reason.empty() ? 1 : 0;
    } catch (const std::exception& failure) {
      writeMessage(why, whySize, failure.what());
      return 0;
    }
  }
  static int32_t defaultVariant(const int64_t* params, int32_t sm) { return P::defaultVariant(P::shape(params), sm); }
  static void work(const int64_t* params, ratchet_work* out) { *out = P::work(P::shape(params)); }

  static ratchet_status setup(const int64_t* params, int32_t variant, int32_t device, uint32_t, void** instance, char* error, size_t errorSize) {
    return guardedStatus(error, errorSize, [&] { *instance = P::setup(P::shape(params), variant, device).release(); });
  }
  static ratchet_status fillInputs(void* handle, void* stream, uint32_t seed, char* error, size_t errorSize) {
    return guardedStatus(error, errorSize, [&] { P::fill(*static_cast<Instance*>(handle), stream, seed); });
  }
  static ratchet_status launch(void* handle, void* stream, char* error, size_t errorSize) {
    return guardedStatus(error, errorSize, [&] { P::launch(*static_cast<Instance*>(handle), stream); });
  }
  static ratchet_status check(void* handle, void* stream, ratchet_check_result* result, char* error, size_t errorSize) {
    return guardedStatus(error, errorSize, [&] { writeCheckResult(P::check(*static_cast<Instance*>(handle), stream), result); });
  }
  static void teardown(void* handle) { delete static_cast<Instance*>(handle); }
};

}  // namespace ratchet

// Registers the built-in P when the addon loads (in the anonymous namespace P is declared in).
#define RATCHET_BUILTIN(P) \
  [[maybe_unused]] const bool kRegistered##P = ::ratchet::registerBuiltin({&::ratchet::BuiltinProblem<P>::problem, &::ratchet::BuiltinProblem<P>::symbols})
