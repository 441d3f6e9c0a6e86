// cpu_backend.h: the CPU backend, always built: any CPU problem (the built-ins' C++ kernels or a
// plugin's), timed with std::chrono::steady_clock on the calling thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "device.h"
#include "problem_def.h"
#include "session.h"

namespace ratchet {

DeviceInfo cpuDevice();
std::vector<std::string> cpuVariantNames(const BenchmarkArgs& args);
std::unique_ptr<Session> openCpuSession(const BenchmarkArgs& args, const std::string& variant, uint32_t seed);

}  // namespace ratchet
