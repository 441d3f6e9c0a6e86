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

enum class Backend { cpu, cuda };

// "cpu" or "cuda".
const char* backendName(Backend backend);

// open(backend, benchmark, { device?, variant?, seed? }), copied out of its JS arguments (js_args.cc).
struct OpenRequest {
  Backend backend = Backend::cpu;
  BenchmarkArgs benchmark;
  int device = 0;
  std::string variant;  // empty: the problem's default for the shape
  uint32_t seed = 0;    // the first seed of the shared input generator
};

std::vector<std::string> compiledBackends();
std::vector<DeviceInfo> listDevices(Backend backend);
// Empty when the backend has a device; otherwise why not, in one line.
std::string unavailableReason(Backend backend);
// What runs depends on the device's architecture: `device` is its DeviceInfo::index.
std::vector<std::string> variantNames(Backend backend, const BenchmarkArgs& args, int device = 0);
// The device the request names, by DeviceInfo::index (CUDA's ordinal: a GPU that did not answer at
// enumeration is left out of the list, so a position is not an index): ERR_RATCHET_NO_DEVICE (or ERR_RATCHET_DRIVER_TOO_OLD) with the
// reason when the backend has no such device.
DeviceInfo requestedDevice(const OpenRequest& request);
// Sets up the problem's instance: call it on the session's own thread (session_thread.h).
std::unique_ptr<Session> openSession(const OpenRequest& request);

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
