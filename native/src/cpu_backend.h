// cpu_backend.h: the CPU backend, always built: the C++ attention of cpu_attention.h, timed with
// std::chrono::steady_clock, checked against an fp64 reference.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "benchmark.h"
#include "device.h"
#include "session.h"

namespace ratchet {

DeviceInfo cpuDevice();
std::vector<std::string> cpuVariantNames(const Benchmark& benchmark);
// Throws Failure(ERR_RATCHET_UNSUPPORTED_SHAPE) for shapes the CPU backend does not run.
std::unique_ptr<Session> openCpuSession(const Benchmark& benchmark, const std::string& variant, uint32_t seed);

}  // namespace ratchet
