// nvml.h: the few NVML calls Ratchet makes (SM clock, clock-event reasons, driver version),
// loaded at run time with dlopen so a machine without libnvidia-ml still runs; then every
// answer is "unknown", never an error.
#pragma once

#include <string>
#include <vector>

namespace ratchet {

struct NvmlClock {
  double smClockMHz = -1;  // < 0: unknown
  std::vector<std::string> throttleReasons;
};

NvmlClock nvmlReadClock(int cudaDevice);
// Just the SM clock (one NVML call, no reasons): cheap enough to read after every sample.
double nvmlReadSmClockMHz(int cudaDevice);  // < 0: unknown
std::string nvmlDriverVersion();  // empty when unknown

}  // namespace ratchet
