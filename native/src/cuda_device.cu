// cuda_device.cu: the CUDA devices as Ratchet reports them. Asked once per process; a machine
// with no driver or no GPU answers "no device" with the reason, never a crash.
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <cstdio>
#include <mutex>
#include <string>

#include "backends.h"
#include "nvml.h"

namespace ratchet {
namespace {

// Dense fp16/bf16 tensor FLOPs per SM per clock, by compute capability. From NVIDIA's datasheets:
// A100 312 TFLOP/s = 108 SMs x 1.41 GHz x 2048; L4 121 TFLOP/s = 58 SMs x 2.04 GHz x 1024 (sm_89
// data-centre parts; GeForce sm_89 accumulates fp32 at half that); H100 SXM 989 TFLOP/s =
// 132 SMs x 1.83 GHz x 4096 (mma.sync reaches only part of it: the full rate needs wgmma).
double tensorFlopsPerSmPerClock(int major, int minor) {
  if (major == 9) return 4096;
  if (major == 8 && minor == 0) return 2048;
  if (major == 8) return 1024;
  if (major == 7) return 1024;
  if (major >= 10) return 8192;
  return 0;
}

// CUDA's 16 UUID bytes as nvidia-smi and CUDA_VISIBLE_DEVICES write them: GPU-8-4-4-4-12 hex digits.
std::string uuidText(const cudaUUID_t& uuid) {
  const auto* b = reinterpret_cast<const unsigned char*>(uuid.bytes);
  char text[64];
  std::snprintf(text, sizeof text, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6],
                b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

struct Enumeration {
  std::vector<DeviceInfo> devices;
  std::string reason;  // why there are none
  cudaError_t status = cudaSuccess;
};

std::string versionString(int version) { return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10); }

// The oldest Linux driver branch that runs a CUDA major's runtime (minor version compatibility:
// any driver of that branch or newer). NVIDIA's CUDA Compatibility guide, "Minor Version
// Compatibility": CUDA 13.x needs r580 (580.65.06 shipped with 13.0), 12.x r525, 11.x r450.
int minimumDriverBranch(int runtimeVersion) {
  switch (runtimeVersion / 1000) {
    case 13: return 580;
    case 12: return 525;
    case 11: return 450;
    default: return 0;
  }
}

// The driver answered cudaErrorInsufficientDriver: what is installed against what this build
// needs. `installed`: NVML's driver version ("570.133.20"; empty when NVML cannot say);
// `installedCuda`: the newest CUDA the driver runs (cuDriverGetVersion, 12080; 0 when unknown).
std::string driverTooOldReason(const std::string& installed, int installedCuda, int runtime) {
  const std::string have = "installed driver " + (installed.empty() ? std::string("(version unknown)") : installed) +
                           (installedCuda > 0 ? " runs CUDA " + versionString(installedCuda) + " at most" : "");
  const int branch = minimumDriverBranch(runtime);
  const std::string need = "this build of the addon needs " + (branch > 0 ? "driver r" + std::to_string(branch) + " or newer" : std::string("a newer driver")) +
                           " (its CUDA runtime is " + versionString(runtime) + ", linked in)";
  if (installedCuda >= runtime) {
    return "the NVIDIA driver refused this build's CUDA " + versionString(runtime) + " runtime (cudaErrorInsufficientDriver), though the " + have + "; " + need;
  }
  return "the NVIDIA driver is too old: " + have + ", and " + need + ". Update the driver, or build the addon from source with a CUDA toolkit of " +
         (installedCuda > 0 ? versionString(installedCuda) + " or older" : "the driver's version") + " (RATCHET_BUILD_FROM_SOURCE=1)";
}

const Enumeration& enumeration() {
  static Enumeration result;
  static std::once_flag once;
  std::call_once(once, [] {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      cudaGetLastError();
      result.status = status;
      // The runtime says "insufficient driver" both when the driver is too old and when there is
      // none at all; only a driver library that loads makes it the former.
      void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
      if (status == cudaErrorInsufficientDriver && !driver) {
        result.status = cudaErrorNoDevice;
        result.reason = "no CUDA device: no NVIDIA driver on this machine (libcuda.so.1 not found)";
        return;
      }
      if (status == cudaErrorInsufficientDriver) {
        // Asked of libcuda itself: the runtime cannot say which driver it refused.
        int installedCuda = 0;
        if (auto getVersion = reinterpret_cast<int (*)(int*)>(dlsym(driver, "cuDriverGetVersion"))) getVersion(&installedCuda);
        dlclose(driver);
        result.reason = driverTooOldReason(nvmlDriverVersion(), installedCuda, CUDART_VERSION);
        return;
      }
      if (driver) dlclose(driver);
      result.reason = std::string("no CUDA device: cudaGetDeviceCount returned ") + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")";
      return;
    }
    if (count == 0) {
      result.reason = "no CUDA device: the driver reports none";
      return;
    }
    int driver = 0, runtime = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    const std::string nvmlDriver = nvmlDriverVersion();
    for (int index = 0; index < count; ++index) {
      cudaDeviceProp props{};
      if (cudaGetDeviceProperties(&props, index) != cudaSuccess) {
        cudaGetLastError();
        continue;
      }
      auto attribute = [index](cudaDeviceAttr a) {
        int value = 0;
        return cudaDeviceGetAttribute(&value, a, index) == cudaSuccess ? value : 0;
      };
      const double smClockKHz = attribute(cudaDevAttrClockRate);
      const double memoryClockKHz = attribute(cudaDevAttrMemoryClockRate);
      const double busWidthBits = attribute(cudaDevAttrGlobalMemoryBusWidth);
      DeviceInfo d;
      d.backend = "cuda";
      d.name = props.name;
      d.computeCapability = std::to_string(props.major) + "." + std::to_string(props.minor);
      d.deviceKey = sanitizeKey(d.name) + "/sm" + std::to_string(props.major) + std::to_string(props.minor);
      d.index = index;
      d.uuid = uuidText(props.uuid);
      d.multiprocessorCount = props.multiProcessorCount;
      d.l2CacheBytes = double(props.l2CacheSize);
      d.memoryBytes = double(props.totalGlobalMem);
      d.driverVersion = nvmlDriver.empty() ? "CUDA " + versionString(driver) : nvmlDriver + " (CUDA " + versionString(driver) + ")";
      d.runtimeVersion = versionString(runtime);
      if (smClockKHz > 0) d.smClockMHz = smClockKHz / 1e3;
      if (memoryClockKHz > 0) d.memoryClockMHz = memoryClockKHz / 1e3;
      // DDR: two transfers per clock, bus width in bits.
      if (memoryClockKHz > 0 && busWidthBits > 0) d.peakBandwidthGBps = 2.0 * memoryClockKHz * 1e3 * (busWidthBits / 8) / 1e9;
      const double perClock = tensorFlopsPerSmPerClock(props.major, props.minor);
      if (perClock > 0 && smClockKHz > 0) d.peakTflops = perClock * props.multiProcessorCount * smClockKHz * 1e3 / 1e12;
      result.devices.push_back(d);
    }
    if (result.devices.empty()) result.reason = "no CUDA device: none answered cudaGetDeviceProperties";
  });
  return result;
}

}  // namespace

std::vector<DeviceInfo> cudaDevices() { return enumeration().devices; }

std::string cudaUnavailableReason() { return enumeration().devices.empty() ? enumeration().reason : ""; }

bool cudaDriverTooOld() { return enumeration().status == cudaErrorInsufficientDriver; }

std::string cudaDeviceUuid(int device) {
  for (const DeviceInfo& d : enumeration().devices)
    if (d.index == device) return d.uuid;
  return "";
}

}  // namespace ratchet
