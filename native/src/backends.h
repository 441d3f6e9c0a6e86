// backends.h: what the addon can run on. The CPU backend is always compiled; the CUDA backend
// only when CMake found nvcc (RATCHET_WITH_CUDA), and even then it may find no device.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "device.h"
#include "problem_def.h"
#include "session.h"

namespace ratchet {

std::vector<std::string> compiledBackends();
std::vector<DeviceInfo> listDevices(const std::string& backend);
// Empty when the backend has a device; otherwise why not, in one line.
std::string unavailableReason(const std::string& backend);
std::vector<std::string> variantNames(const std::string& backend, const BenchmarkArgs& args, int device = 0);
std::unique_ptr<Session> openSession(const std::string& backend, const BenchmarkArgs& args, const std::string& variant, uint32_t seed, int device);

#ifdef RATCHET_WITH_CUDA
std::vector<DeviceInfo> cudaDevices();
std::string cudaUnavailableReason();
// The driver answered, but is older than the CUDA runtime the addon was built with.
bool cudaDriverTooOld();
// The UUID of CUDA device `device` (DeviceInfo::uuid); empty when there is no such device.
std::string cudaDeviceUuid(int device);
std::vector<std::string> cudaVariantNames(const BenchmarkArgs& args, int device);
std::unique_ptr<Session> openCudaSession(const BenchmarkArgs& args, const std::string& variant, uint32_t seed, int device);
#endif

}  // namespace ratchet
