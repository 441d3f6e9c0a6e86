// cuda_check.h: every CUDA call goes through RATCHET_CUDA_TRY, which turns a failure into a
// Failure naming the call, the CUDA error and file:line, with the right code. After a sticky
// error (illegal address, launch failure, ...) the context is unusable: the backend then refuses
// all further work with ERR_RATCHET_DEVICE_UNUSABLE instead of returning garbage.
#pragma once

#include <cuda_runtime.h>

#include <string>

namespace ratchet {

void cudaCheck(cudaError_t status, const char* expression, const char* file, int line);
// A CUDA error met in `context` (a failed call, or a status a problem returned): a sticky error
// poisons the device for the process; throws with the error's code, name and text.
[[noreturn]] void cudaFailure(cudaError_t status, const std::string& context);
bool isStickyCudaError(cudaError_t status);
// Throws ERR_RATCHET_DEVICE_UNUSABLE once a sticky error has been seen in this process.
void requireUsableDevice();

}  // namespace ratchet

#define RATCHET_CUDA_TRY(expression) ::ratchet::cudaCheck((expression), #expression, __FILE__, __LINE__)
