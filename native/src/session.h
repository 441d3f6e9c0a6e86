// session.h: one benchmark held open on one backend: its problem's instance set up, a variant
// chosen. The measurement loop in TypeScript calls check() once, then sample() in batches, then
// close. What a session reports is plain data, defined here. A session is made, checked, sampled
// and destroyed on one thread of its own (pinned_session.h); only clock() is called from others.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ratchet/problem.h"

namespace ratchet {

struct SampleOptions {
  int warmup = 0;
  int samples = 1;
  bool l2Flush = false;
  int launchesPerSample = 1;
  // A busy-wait of this many microseconds inside each sample's timed region, after the kernel:
  // a slowdown of known size, for `ratchet calibrate`. 0 in normal runs.
  double extraUs = 0;
};

struct Correctness {
  bool passed = false;
  double maxAbsError = 0;
  double relError = 0;
  double tolerance = 0;
  std::string reference;
  std::string detail;  // empty when passed
  // Sum and sum of |x| of the whole output; NaN when not computed.
  double outputSum = std::nan("");
  double outputAbsSum = std::nan("");
};

// One sample() call: per-sample times and, where the device can tell, the SM clock read right
// after each sample finished (so a regression can be checked in cycles, not only in time).
struct SampleBatch {
  std::vector<double> ms;
  std::vector<double> clockMHz;  // empty when the clock cannot be read
};

// Which compiled code a session times: `arch` (sm_90, cpu) and the symbol of its entry point, the
// keys of the build's kernel identity file (native/scripts/kernel-identity.mjs). `symbol` is
// empty when unknown (a plugin's CPU code, a capture that failed).
struct KernelCode {
  std::string arch;
  std::string symbol;
};

struct ClockReading {
  double smClockMHz = -1;  // < 0: unknown
  std::vector<std::string> throttleReasons;
};

// One kernel node of a captured launch: what decides how the GPU runs the same machine code.
struct LaunchedKernel {
  std::string name;  // mangled, as cuFuncGetName gives it; empty when the driver cannot name it
  uint32_t grid[3] = {0, 0, 0};
  uint32_t block[3] = {0, 0, 0};
  uint32_t cluster[3] = {0, 0, 0};  // 0 0 0: no cluster launch attribute
  uint32_t dynamicSmemBytes = 0;
  // Function attributes (registers, static and max dynamic shared memory, ...), by stable name.
  std::vector<std::pair<std::string, int>> attributes;
};

// One launch of the session captured into a CUDA graph: its kernels, and every node's kind in
// graph order (kernel, memset, memcpy, ...), so a launch that adds a copy is not the same launch.
struct CapturedLaunch {
  std::vector<LaunchedKernel> kernels;
  std::vector<std::string> nodes;
};

// What a session says about itself once open.
struct SessionInfo {
  std::string variant;
  ratchet_work work{0, 0};
  KernelCode kernel;
  std::optional<CapturedLaunch> launch;  // CUDA sessions, when the capture succeeded
};

class Session {
 public:
  virtual ~Session() = default;
  virtual const SessionInfo& info() const = 0;
  // Fresh inputs (a new seed each call), output poisoned, one launch, compared with the
  // problem's reference. Never times.
  virtual Correctness check() = 0;
  // Per-sample milliseconds (and SM clocks) on the inputs of the last check().
  virtual SampleBatch sample(const SampleOptions& options) = 0;
  // Any thread, also while check() or sample() run: it reads no state of the problem's instance.
  virtual ClockReading clock() const = 0;
};

}  // namespace ratchet
