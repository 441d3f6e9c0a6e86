#include "backends.h"

#include "cpu_backend.h"
#include "failure.h"

namespace ratchet {
namespace {

void requireKnown(const std::string& backend) {
  if (backend != "cpu" && backend != "cuda") fail("ERR_RATCHET_INVALID_BENCHMARK", "unknown backend '" + backend + "' (expected cpu or cuda)");
}

}  // namespace

std::vector<std::string> compiledBackends() {
#ifdef RATCHET_WITH_CUDA
  return {"cpu", "cuda"};
#else
  return {"cpu"};
#endif
}

std::vector<DeviceInfo> listDevices(const std::string& backend) {
  requireKnown(backend);
  if (backend == "cpu") return {cpuDevice()};
#ifdef RATCHET_WITH_CUDA
  return cudaDevices();
#else
  return {};
#endif
}

std::string unavailableReason(const std::string& backend) {
  requireKnown(backend);
  if (backend == "cpu") return "";
#ifdef RATCHET_WITH_CUDA
  return cudaUnavailableReason();
#else
  return "CUDA not compiled in (at build time: no GPU found, no nvcc, or RATCHET_CUDA=0; native/build/ratchet-build.json says which; RATCHET_CUDA_ARCHITECTURES=90-real pnpm build compiles it)";
#endif
}

std::vector<std::string> variantNames(const std::string& backend, const BenchmarkArgs& args, int device) {
  requireKnown(backend);
  if (backend == "cpu") return cpuVariantNames(args);
#ifdef RATCHET_WITH_CUDA
  return cudaVariantNames(args, device);
#else
  (void)args;
  (void)device;
  return {};
#endif
}

std::unique_ptr<Session> openSession(const std::string& backend, const BenchmarkArgs& args, const std::string& variant, uint32_t seed, int device) {
  requireKnown(backend);
  if (backend == "cpu") return openCpuSession(args, variant, seed);
#ifdef RATCHET_WITH_CUDA
  return openCudaSession(args, variant, seed, device);
#else
  (void)device;
  fail("ERR_RATCHET_NO_DEVICE", unavailableReason("cuda"));
#endif
}

}  // namespace ratchet
