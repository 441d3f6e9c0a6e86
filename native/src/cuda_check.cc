#include "cuda_check.h"

#include <mutex>
#include <string>

#include "failure.h"

namespace ratchet {
namespace {

std::mutex poisonMutex;
std::string poisonedBy;  // empty while the device is usable

}  // namespace

bool isStickyCudaError(cudaError_t status) {
  switch (status) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorMisalignedAddress:
    case cudaErrorIllegalInstruction:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorHardwareStackError:
    case cudaErrorAssert:
    case cudaErrorLaunchTimeout:
    case cudaErrorECCUncorrectable:
      return true;
    default:
      return false;
  }
}

namespace {

const char* codeFor(cudaError_t status) {
  switch (status) {
    case cudaErrorMemoryAllocation: return "ERR_RATCHET_OUT_OF_MEMORY";
    case cudaErrorInsufficientDriver: return "ERR_RATCHET_DRIVER_TOO_OLD";
    case cudaErrorNoDevice: return "ERR_RATCHET_NO_DEVICE";
    default: return "ERR_RATCHET_CUDA";
  }
}

std::string baseName(const char* file) {
  const std::string path(file);
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void cudaCheck(cudaError_t status, const char* expression, const char* file, int line) {
  if (status == cudaSuccess) return;
  cudaFailure(status, std::string(expression) + " failed at " + baseName(file) + ":" + std::to_string(line));
}

void cudaFailure(cudaError_t status, const std::string& context) {
  std::string message = context + ": " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")";
  if (isStickyCudaError(status)) {
    std::lock_guard<std::mutex> lock(poisonMutex);
    if (poisonedBy.empty()) poisonedBy = std::string(cudaGetErrorName(status)) + " in " + context;
    message += "; the CUDA context is now unusable in this process";
  } else {
    cudaGetLastError();  // clear a non-sticky error so the next call does not see it again
  }
  fail(codeFor(status), message);
}

void requireUsableDevice() {
  std::lock_guard<std::mutex> lock(poisonMutex);
  if (!poisonedBy.empty()) {
    fail("ERR_RATCHET_DEVICE_UNUSABLE", "a previous CUDA error (" + poisonedBy + ") left the device unusable; restart the process");
  }
}

}  // namespace ratchet
