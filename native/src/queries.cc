#include "queries.h"

#include "backends.h"
#include "js.h"
#include "registry.h"

namespace ratchet {
namespace {

Napi::Array problemsToJs(Napi::Env env, const std::vector<const ProblemDef*>& problems) {
  Napi::Array array = Napi::Array::New(env, problems.size());
  for (size_t i = 0; i < problems.size(); ++i) array.Set(uint32_t(i), problemToJs(env, *problems[i]));
  return array;
}

}  // namespace

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  if (info[0].IsFunction()) setErrorClass(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value CompiledBackends(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value { return stringsToJs(info.Env(), compiledBackends()); });
}

Napi::Value Devices(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const auto devices = listDevices(backendFromJs(info[0]));
    Napi::Array array = Napi::Array::New(info.Env(), devices.size());
    for (size_t i = 0; i < devices.size(); ++i) array.Set(uint32_t(i), deviceToJs(info.Env(), devices[i]));
    return array;
  });
}

Napi::Value UnavailableReason(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::string reason = unavailableReason(backendFromJs(info[0]));
    return reason.empty() ? info.Env().Null() : Napi::String::New(info.Env(), reason);
  });
}

Napi::Value Problems(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value { return problemsToJs(info.Env(), allProblems()); });
}

// `deviceCode` names the architectures of the plugin's fatbin (read by the TypeScript side), for
// the message when this GPU has no image.
Napi::Value LoadPlugin(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (!info[0].IsString()) fail("ERR_RATCHET_PLUGIN", "loadPlugin: expected a path but received " + describeJs(info[0]));
    const std::string deviceCode = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
    return problemsToJs(info.Env(), loadPlugin(info[0].As<Napi::String>().Utf8Value(), deviceCode));
  });
}

Napi::Value Variants(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    // variants(backend, benchmark, device?): device is a DeviceInfo::index, 0 when absent.
    const Backend backend = backendFromJs(info[0]);
    return stringsToJs(info.Env(), variantNames(backend, benchmarkFromJs(info[1]), deviceIndexFromJs(info[2], "variants device")));
  });
}

}  // namespace ratchet
