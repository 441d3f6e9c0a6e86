// addon.cc: registers the addon's functions, and nothing else: what each does is in queries.cc
// (answered at once) and session_wrap.cc (open, and a session's calls off the main thread).
#include <napi.h>

#include "queries.h"
#include "session_wrap.h"

namespace ratchet {

// The version of the surface below, read by native/lib/compat.ts, the one adapter for builds of
// other versions (a base ref built for `run --base`): 4 is check() and sample() returning Promises,
// 5 devices carrying their CUDA index and UUID and variants() taking the device. Builds before 4
// export none.
constexpr int kSurfaceVersion = 5;

Napi::Object registerAddon(Napi::Env env, Napi::Object exports) {
  SessionWrap::define(env);
  exports.Set("surfaceVersion", Napi::Number::New(env, kSurfaceVersion));
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClass));
  exports.Set("compiledBackends", Napi::Function::New(env, CompiledBackends));
  exports.Set("devices", Napi::Function::New(env, Devices));
  exports.Set("unavailableReason", Napi::Function::New(env, UnavailableReason));
  exports.Set("problems", Napi::Function::New(env, Problems));
  exports.Set("loadPlugin", Napi::Function::New(env, LoadPlugin));
  exports.Set("variants", Napi::Function::New(env, Variants));
  exports.Set("open", Napi::Function::New(env, SessionWrap::open));
  return exports;
}

}  // namespace ratchet

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return ratchet::registerAddon(env, exports); }

NODE_API_MODULE(ratchet_native, Init)
