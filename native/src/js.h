// js.h: the boundary. JS values are copied into the plain structs of problem_def.h, session.h,
// backends.h and device.h here and nowhere else (every call's arguments in js_args.cc, a benchmark
// in js_benchmark.cc), and back (js.cc); Failures become instances of the JS RatchetError class.
#pragma once

#include <napi.h>

#include "backends.h"
#include "device.h"
#include "failure.h"
#include "problem_def.h"
#include "session.h"

namespace ratchet {

// Remembers the JS RatchetError class (called once by the loader) so native errors are instances of it.
void setErrorClass(const Napi::Function& errorClass);
Napi::Error toJsError(Napi::Env env, const Failure& failure);

// "64 (number)", "\"64\" (string)", ...: how a received value is named in messages.
std::string describeJs(const Napi::Value& value);

// { kernel, ...params } checked against the problem it names (js_benchmark.cc): each declared
// parameter present with its type (ERR_RATCHET_INVALID_BENCHMARK), then within its declared
// values (ERR_RATCHET_UNSUPPORTED_SHAPE, naming the id); the TypeScript side checks first and
// names the config field, this is the native layer's own defence.
BenchmarkArgs benchmarkFromJs(const Napi::Value& value);
// "cpu" or "cuda"; anything else is ERR_RATCHET_INVALID_BACKEND.
Backend backendFromJs(const Napi::Value& value);
// A device's DeviceInfo::index (0 when absent): an integer >= 0, else ERR_RATCHET_INVALID_BENCHMARK naming `label`.
int deviceIndexFromJs(const Napi::Value& value, const std::string& label);
// open(backend, benchmark, { device?, variant?, seed? }): a seed drawn at random when none is given.
OpenRequest openRequestFromJs(const Napi::CallbackInfo& info);
SampleOptions sampleOptionsFromJs(const Napi::Value& value);

Napi::Object deviceToJs(Napi::Env env, const DeviceInfo& device);
// A ProblemSpec of @ratchet/types.
Napi::Object problemToJs(Napi::Env env, const ProblemDef& problem);
Napi::Object correctnessToJs(Napi::Env env, const Correctness& correctness);
Napi::Object clockToJs(Napi::Env env, const ClockReading& clock);
// { samplesMs: number[], clockMHz: number[] | null }
Napi::Object sampleBatchToJs(Napi::Env env, const SampleBatch& batch);
// { arch: string, symbol: string | null }
Napi::Object kernelCodeToJs(Napi::Env env, const KernelCode& kernel);
Napi::Array stringsToJs(Napi::Env env, const std::vector<std::string>& values);
// { flops, bytes }
Napi::Object workToJs(Napi::Env env, const ratchet_work& work);
// [{ name, grid, block, cluster, dynamicSmemBytes, attributes }]
Napi::Array launchedKernelsToJs(Napi::Env env, const CapturedLaunch& launch);

// The exception being handled (call it in a catch block) as a Failure: its own, or
// ERR_RATCHET_OUT_OF_MEMORY for std::bad_alloc, ERR_RATCHET_INTERNAL for anything else.
Failure currentFailure();

// Runs `body`, turning a Failure (or any C++ exception) into a thrown JS error.
template <typename Body>
Napi::Value guarded(Napi::Env env, Body&& body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    throw toJsError(env, currentFailure());
  }
}

}  // namespace ratchet
