// device.h: a device as the addon reports it; figures it cannot know stay empty, never guessed.
#pragma once

#include <optional>
#include <string>

namespace ratchet {

struct DeviceInfo {
  std::string backend;  // "cpu" | "cuda"
  std::string name;
  std::string deviceKey;
  std::optional<std::string> computeCapability;
  int multiprocessorCount = 0;
  std::optional<double> l2CacheBytes, memoryBytes;
  std::optional<std::string> driverVersion, runtimeVersion;
  std::optional<double> smClockMHz, memoryClockMHz, peakBandwidthGBps, peakTflops;
};

// Letters, digits, '.', '_' and '-' kept; runs of anything else become one '-'.
std::string sanitizeKey(const std::string& text);

}  // namespace ratchet
