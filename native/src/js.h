// js.h: the boundary. JS values are copied into the plain structs of benchmark.h and device.h
// here and nowhere else; Failures become instances of the JS RatchetError class.
#pragma once

#include <napi.h>

#include "benchmark.h"
#include "device.h"
#include "failure.h"

namespace ratchet {

// Remembers the JS RatchetError class (called once by the loader) so native errors are instances of it.
void setErrorClass(const Napi::Function& errorClass);
Napi::Error toJsError(Napi::Env env, const Failure& failure);

Benchmark benchmarkFromJs(const Napi::Value& value);
SampleOptions sampleOptionsFromJs(const Napi::Value& value);
Napi::Object deviceToJs(Napi::Env env, const DeviceInfo& device);
Napi::Object correctnessToJs(Napi::Env env, const Correctness& correctness);
Napi::Object clockToJs(Napi::Env env, const ClockReading& clock);
// { samplesMs: number[], clockMHz: number[] | null }
Napi::Object sampleBatchToJs(Napi::Env env, const SampleBatch& batch);
// { arch: string, symbol: string | null }
Napi::Object kernelCodeToJs(Napi::Env env, const KernelCode& kernel);

// Runs `body`, turning a Failure (or any C++ exception) into a thrown JS error.
template <typename Body>
Napi::Value guarded(Napi::Env env, Body&& body) {
  try {
    return body();
  } catch (const Failure& failure) {
    throw toJsError(env, failure);
  } catch (const std::bad_alloc&) {
    throw toJsError(env, Failure("ERR_RATCHET_OUT_OF_MEMORY", "out of host memory"));
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& error) {
    throw toJsError(env, Failure("ERR_RATCHET_INTERNAL", std::string("native: ") + error.what()));
  }
}

}  // namespace ratchet
