#include "nvml.h"

#include <dlfcn.h>

#include <cstdint>
#include <map>
#include <mutex>

#include "backends.h"

namespace ratchet {
namespace {

// Just the NVML ABI this file needs (nvml.h is not required at build time).
using NvmlReturn = int;
using NvmlDevice = void*;
constexpr NvmlReturn kNvmlSuccess = 0;
constexpr unsigned kNvmlClockSm = 1;

struct Nvml {
  NvmlReturn (*init)() = nullptr;
  NvmlReturn (*deviceGetHandleByIndex)(unsigned, NvmlDevice*) = nullptr;
  NvmlReturn (*deviceGetHandleByUUID)(const char*, NvmlDevice*) = nullptr;
  NvmlReturn (*deviceGetClockInfo)(NvmlDevice, unsigned, unsigned*) = nullptr;
  NvmlReturn (*deviceGetClocksEventReasons)(NvmlDevice, unsigned long long*) = nullptr;
  NvmlReturn (*systemGetDriverVersion)(char*, unsigned) = nullptr;
  bool ready = false;
};

const Nvml& nvml() {
  static Nvml api;
  static std::once_flag once;
  std::call_once(once, [] {
    void* library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    api.init = reinterpret_cast<NvmlReturn (*)()>(dlsym(library, "nvmlInit_v2"));
    api.deviceGetHandleByIndex = reinterpret_cast<NvmlReturn (*)(unsigned, NvmlDevice*)>(dlsym(library, "nvmlDeviceGetHandleByIndex_v2"));
    api.deviceGetHandleByUUID = reinterpret_cast<NvmlReturn (*)(const char*, NvmlDevice*)>(dlsym(library, "nvmlDeviceGetHandleByUUID"));
    api.deviceGetClockInfo = reinterpret_cast<NvmlReturn (*)(NvmlDevice, unsigned, unsigned*)>(dlsym(library, "nvmlDeviceGetClockInfo"));
    api.deviceGetClocksEventReasons = reinterpret_cast<NvmlReturn (*)(NvmlDevice, unsigned long long*)>(dlsym(library, "nvmlDeviceGetCurrentClocksEventReasons"));
    if (!api.deviceGetClocksEventReasons) {
      api.deviceGetClocksEventReasons = reinterpret_cast<NvmlReturn (*)(NvmlDevice, unsigned long long*)>(dlsym(library, "nvmlDeviceGetCurrentClocksThrottleReasons"));
    }
    api.systemGetDriverVersion = reinterpret_cast<NvmlReturn (*)(char*, unsigned)>(dlsym(library, "nvmlSystemGetDriverVersion"));
    api.ready = api.init && api.deviceGetHandleByIndex && api.init() == kNvmlSuccess;
  });
  return api;
}

// NVML's clocks-event reason bits, by name.
const std::pair<unsigned long long, const char*> kReasons[] = {
    {0x1ull, "gpu_idle"},          {0x2ull, "applications_clocks_setting"}, {0x4ull, "sw_power_cap"},
    {0x8ull, "hw_slowdown"},       {0x10ull, "sync_boost"},                 {0x20ull, "sw_thermal_slowdown"},
    {0x40ull, "hw_thermal_slowdown"}, {0x80ull, "hw_power_brake_slowdown"}, {0x100ull, "display_clock_setting"},
};

// NVML's handle of CUDA device `cudaDevice`, looked up once. NVML numbers every GPU of the machine
// by PCI bus and ignores CUDA_VISIBLE_DEVICES, while CUDA numbers the visible ones fastest first:
// under CUDA_VISIBLE_DEVICES=1, CUDA's device 0 is NVML's 1, and reading NVML's 0 took another
// GPU's (idle) clock. The UUID names the same GPU to both; by index only where NVML cannot look
// one up (no UUID, or an NVML too old to know the call).
NvmlDevice handleOf(const Nvml& api, int cudaDevice) {
  static std::map<int, NvmlDevice> handles;
  static std::mutex lock;
  const std::lock_guard<std::mutex> held(lock);
  const auto found = handles.find(cudaDevice);
  if (found != handles.end()) return found->second;
  NvmlDevice device = nullptr;
  const std::string uuid = cudaDeviceUuid(cudaDevice);
  const bool byUuid = !uuid.empty() && api.deviceGetHandleByUUID;
  if (byUuid ? api.deviceGetHandleByUUID(uuid.c_str(), &device) != kNvmlSuccess : api.deviceGetHandleByIndex(unsigned(cudaDevice), &device) != kNvmlSuccess) {
    device = nullptr;
  }
  handles[cudaDevice] = device;
  return device;
}

}  // namespace

NvmlClock nvmlReadClock(int cudaDevice) {
  NvmlClock clock;
  const Nvml& api = nvml();
  NvmlDevice device = api.ready ? handleOf(api, cudaDevice) : nullptr;
  if (!device) return clock;
  unsigned mhz = 0;
  if (api.deviceGetClockInfo && api.deviceGetClockInfo(device, kNvmlClockSm, &mhz) == kNvmlSuccess) clock.smClockMHz = mhz;
  unsigned long long reasons = 0;
  if (api.deviceGetClocksEventReasons && api.deviceGetClocksEventReasons(device, &reasons) == kNvmlSuccess) {
    for (const auto& [bit, name] : kReasons)
      if (reasons & bit) clock.throttleReasons.emplace_back(name);
  }
  return clock;
}

double nvmlReadSmClockMHz(int cudaDevice) {
  const Nvml& api = nvml();
  unsigned mhz = 0;
  NvmlDevice device = api.ready && api.deviceGetClockInfo ? handleOf(api, cudaDevice) : nullptr;
  if (!device) return -1;
  return api.deviceGetClockInfo(device, kNvmlClockSm, &mhz) == kNvmlSuccess ? double(mhz) : -1;
}

std::string nvmlDriverVersion() {
  const Nvml& api = nvml();
  char version[96] = {0};
  if (!api.ready || !api.systemGetDriverVersion || api.systemGetDriverVersion(version, sizeof version) != kNvmlSuccess) return "";
  return version;
}

}  // namespace ratchet
