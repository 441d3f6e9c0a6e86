// harness.h: what the CPU and CUDA timers share, knowing nothing of any problem's shape: which
// variant runs, the problem's instance held open, and a problem's statuses turned into Failures.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "problem_def.h"
#include "session.h"

namespace ratchet {

// The problem's message buffer for one call (the ABI's `error`/`why` arguments).
struct ProblemMessage {
  char text[1024] = {0};
  char* data() {
    text[0] = '\0';
    return text;
  }
  static constexpr size_t size() { return sizeof(text); }
  // Never trusts the problem to have terminated it.
  std::string str() const { return text[0] ? std::string(text, strnlen(text, sizeof text)) : "(no message)"; }
};

// Variants that can run these params on `sm` (0 on a CPU), the default first.
std::vector<std::string> runnableVariants(const BenchmarkArgs& args, const ProblemImpl& impl, int sm);

// The variant index to run: `requested` by name, or the problem's default when empty. Throws
// ERR_RATCHET_INVALID_BENCHMARK for an unknown name (naming the known ones) and
// ERR_RATCHET_UNSUPPORTED_SHAPE, with the problem's reason, when it cannot run these params.
// `label` is "CPU" or "CUDA"; `sm` 0 on a CPU.
int chooseVariant(const BenchmarkArgs& args, const ProblemImpl& impl, const std::string& requested, int sm, const char* label);

// Raises the Failure a non-OK status of the problem's `phase` (setup, launch, ...) stands for.
// Positive statuses (CUDA errors) are the CUDA harness's to map before calling this.
[[noreturn]] void raiseProblemStatus(const BenchmarkArgs& args, const char* phase, ratchet_status status, const std::string& message);

Correctness correctnessFrom(const ratchet_check_result& result);

// The problem's instance: set up in the constructor (statuses raised), torn down with the owner.
class ProblemInstance {
 public:
  // `setupFailure` maps a non-OK setup status (the CUDA harness handles CUDA statuses itself).
  template <typename OnFailure>
  ProblemInstance(const BenchmarkArgs& args, const ProblemImpl& impl, int variant, int device, uint32_t seed, OnFailure&& setupFailure) : abi_(impl.abi) {
    ProblemMessage message;
    const ratchet_status status = abi_->setup(args.values.data(), variant, device, seed, &handle_, message.data(), message.size());
    if (status != RATCHET_OK) {
      handle_ = nullptr;
      setupFailure(status, message.str());
    }
  }
  ~ProblemInstance() {
    if (handle_) abi_->teardown(handle_);
  }
  ProblemInstance(const ProblemInstance&) = delete;
  ProblemInstance& operator=(const ProblemInstance&) = delete;
  void* handle() const { return handle_; }

 private:
  const ratchet_problem* abi_;
  void* handle_ = nullptr;
};

}  // namespace ratchet
