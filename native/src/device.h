// device.h: a device as the addon reports it; figures it cannot know stay empty, never guessed.
#pragma once

#include <optional>
#include <string>

namespace ratchet {

struct DeviceInfo {
  std::string backend;  // "cpu" | "cuda"
  std::string name;
  std::string deviceKey;
  // Which device of its backend this is: CUDA's ordinal as this process sees the GPUs (after
  // CUDA_VISIBLE_DEVICES), what cudaSetDevice takes; 0 for the CPU.
  int index = 0;
  // CUDA's UUID ("GPU-8-4-4-4-12 hex", as nvidia-smi -L prints it), the same whatever
  // CUDA_VISIBLE_DEVICES does; empty for the CPU.
  std::string uuid;
  std::optional<std::string> computeCapability;
  int multiprocessorCount = 0;
  std::optional<double> l2CacheBytes, memoryBytes;
  std::optional<std::string> driverVersion, runtimeVersion;
  std::optional<double> smClockMHz, memoryClockMHz, peakBandwidthGBps, peakTflops;
};

// Letters, digits, '.', '_' and '-' kept; runs of anything else become one '-'.
std::string sanitizeKey(const std::string& text);

}  // namespace ratchet
