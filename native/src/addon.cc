// addon.cc: registers the addon's functions; the work is in backends.cc and session_wrap.cc.
#include <napi.h>

#include <random>

#include "backends.h"
#include "js.h"
#include "registry.h"
#include "session_wrap.h"

namespace ratchet {
namespace {

std::string backendArg(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) fail("ERR_RATCHET_INVALID_BENCHMARK", "backend: expected \"cpu\" or \"cuda\"");
  return info[0].As<Napi::String>().Utf8Value();
}

// The device of `backend` whose index (DeviceInfo::index, CUDA's ordinal) is `device`: a GPU
// that did not answer at enumeration is left out of the list, so its position is not its index.
DeviceInfo deviceAt(const std::string& backend, int device) {
  for (const DeviceInfo& d : listDevices(backend))
    if (d.index == device) return d;
  const std::string reason = unavailableReason(backend);
#ifdef RATCHET_WITH_CUDA
  if (backend == "cuda" && cudaDriverTooOld()) fail("ERR_RATCHET_DRIVER_TOO_OLD", reason);
#endif
  fail("ERR_RATCHET_NO_DEVICE", reason.empty() ? "no " + backend + " device " + std::to_string(device) : reason);
}

Napi::Array problemsToJs(Napi::Env env, const std::vector<const ProblemDef*>& problems) {
  Napi::Array array = Napi::Array::New(env, problems.size());
  for (size_t i = 0; i < problems.size(); ++i) array.Set(uint32_t(i), problemToJs(env, *problems[i]));
  return array;
}

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  if (info[0].IsFunction()) setErrorClass(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value CompiledBackends(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value { return stringsToJs(info.Env(), compiledBackends()); });
}

Napi::Value Devices(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const auto devices = listDevices(backendArg(info));
    Napi::Array array = Napi::Array::New(info.Env(), devices.size());
    for (size_t i = 0; i < devices.size(); ++i) array.Set(uint32_t(i), deviceToJs(info.Env(), devices[i]));
    return array;
  });
}

Napi::Value UnavailableReason(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::string reason = unavailableReason(backendArg(info));
    return reason.empty() ? info.Env().Null() : Napi::String::New(info.Env(), reason);
  });
}

Napi::Value Variants(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    // variants(backend, benchmark, device?): what runs depends on the device's architecture.
    const int device = info[2].IsNumber() ? info[2].As<Napi::Number>().Int32Value() : 0;
    return stringsToJs(info.Env(), variantNames(backendArg(info), benchmarkFromJs(info[1]), device));
  });
}

Napi::Value Problems(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value { return problemsToJs(info.Env(), allProblems()); });
}

// loadPlugin(path, deviceCode?) -> ProblemSpec[]: `deviceCode` names the architectures of the
// plugin's fatbin (read by the TypeScript side), for the message when this GPU has no image.
Napi::Value LoadPlugin(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (!info[0].IsString()) fail("ERR_RATCHET_PLUGIN", "loadPlugin: expected a path but received " + describeJs(info[0]));
    const std::string deviceCode = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
    return problemsToJs(info.Env(), loadPlugin(info[0].As<Napi::String>().Utf8Value(), deviceCode));
  });
}

// open(backend, benchmark, { device?, variant?, seed? }) -> BenchmarkSession
Napi::Value Open(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::string backend = backendArg(info);
    const BenchmarkArgs benchmark = benchmarkFromJs(info[1]);
    int device = 0;
    std::string variant;
    uint32_t seed = std::random_device{}();
    if (info[2].IsObject()) {
      const Napi::Object options = info[2].As<Napi::Object>();
      if (options.Get("device").IsNumber()) device = options.Get("device").As<Napi::Number>().Int32Value();
      if (options.Get("variant").IsString()) variant = options.Get("variant").As<Napi::String>().Utf8Value();
      if (options.Get("seed").IsNumber()) seed = options.Get("seed").As<Napi::Number>().Uint32Value();
    }
    const DeviceInfo chosen = deviceAt(backend, device);
    auto session = openSession(backend, benchmark, variant, seed, device);
    return SessionWrap::wrap(info.Env(), std::move(session), backend, deviceToJs(info.Env(), chosen));
  });
}

}  // namespace

Napi::Object registerAddon(Napi::Env env, Napi::Object exports) {
  SessionWrap::define(env);
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClass));
  exports.Set("compiledBackends", Napi::Function::New(env, CompiledBackends));
  exports.Set("devices", Napi::Function::New(env, Devices));
  exports.Set("unavailableReason", Napi::Function::New(env, UnavailableReason));
  exports.Set("problems", Napi::Function::New(env, Problems));
  exports.Set("loadPlugin", Napi::Function::New(env, LoadPlugin));
  exports.Set("variants", Napi::Function::New(env, Variants));
  exports.Set("open", Napi::Function::New(env, Open));
  return exports;
}

}  // namespace ratchet

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return ratchet::registerAddon(env, exports); }

NODE_API_MODULE(ratchet_native, Init)
