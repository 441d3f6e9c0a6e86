// launch_capture.h: what one launch of a session enqueues, read from the GPU's side. The launch is
// captured into a CUDA graph (never executed) and each kernel node is read through the driver API
// (obtained with cudaGetDriverEntryPointByVersion: the addon links cudart statically, not libcuda):
// its name, grid, block, cluster, dynamic shared memory and function attributes. Works for kernels
// of any CUDA runtime in the process (a plugin links its own), since nodes hold driver handles.
#pragma once

#include <cuda_runtime.h>

#include <functional>
#include <optional>
#include <string>

#include "ratchet/problem.h"
#include "session.h"

namespace ratchet {

struct CaptureResult {
  // The launch's own status (RATCHET_OK, or what it returned while being captured).
  ratchet_status status = RATCHET_OK;
  // The captured launch; empty when the capture or the driver queries were not possible (then
  // `why` says what failed, and the session simply has no identity).
  std::optional<CapturedLaunch> launch;
  std::string why;
};

// Captures `launch` (which enqueues on `stream`) and reads the graph. Never throws for a capture
// that fails; a sticky CUDA error still surfaces at the caller's next checked call.
CaptureResult captureLaunch(cudaStream_t stream, const std::function<ratchet_status()>& launch);

}  // namespace ratchet
