#include "backends.h"

#include "cpu_backend.h"
#include "failure.h"

namespace ratchet {

const char* backendName(Backend backend) { return backend == Backend::cpu ? "cpu" : "cuda"; }

std::vector<std::string> compiledBackends() {
#ifdef RATCHET_WITH_CUDA
  return {"cpu", "cuda"};
#else
  return {"cpu"};
#endif
}

std::vector<DeviceInfo> listDevices(Backend backend) {
  if (backend == Backend::cpu) return {cpuDevice()};
#ifdef RATCHET_WITH_CUDA
  return cudaDevices();
#else
  return {};
#endif
}

std::string unavailableReason(Backend backend) {
  if (backend == Backend::cpu) return "";
#ifdef RATCHET_WITH_CUDA
  return cudaUnavailableReason();
#else
  return "CUDA not compiled in (at build time: no GPU found, no nvcc, or RATCHET_CUDA=0; native/build/ratchet-build.json says which; RATCHET_CUDA_ARCHITECTURES=90-real pnpm build compiles it)";
#endif
}

std::vector<std::string> variantNames(Backend backend, const BenchmarkArgs& args, int device) {
  if (backend == Backend::cpu) return cpuVariantNames(args);
#ifdef RATCHET_WITH_CUDA
  return cudaVariantNames(args, device);
#else
  (void)args;
  (void)device;
  return {};
#endif
}

DeviceInfo requestedDevice(const OpenRequest& request) {
  for (const DeviceInfo& d : listDevices(request.backend))
    if (d.index == request.device) return d;
  const std::string reason = unavailableReason(request.backend);
#ifdef RATCHET_WITH_CUDA
  if (request.backend == Backend::cuda && cudaDriverTooOld()) fail("ERR_RATCHET_DRIVER_TOO_OLD", reason);
#endif
  fail("ERR_RATCHET_NO_DEVICE", reason.empty() ? "no " + std::string(backendName(request.backend)) + " device " + std::to_string(request.device) : reason);
}

std::unique_ptr<Session> openSession(const OpenRequest& request) {
  if (request.backend == Backend::cpu) return openCpuSession(request.benchmark, request.variant, request.seed);
#ifdef RATCHET_WITH_CUDA
  return openCudaSession(request.benchmark, request.variant, request.seed, request.device);
#else
  fail("ERR_RATCHET_NO_DEVICE", unavailableReason(Backend::cuda));
#endif
}

}  // namespace ratchet
