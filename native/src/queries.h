// queries.h: what the addon answers at once, on the calling thread: the backends compiled in, their
// devices (or why there are none), the problems and their variants, and plugins loaded.
#pragma once

#include <napi.h>

namespace ratchet {

// setErrorClass(RatchetError): native errors are instances of it from then on.
Napi::Value SetErrorClass(const Napi::CallbackInfo& info);
// compiledBackends() -> ('cpu' | 'cuda')[]
Napi::Value CompiledBackends(const Napi::CallbackInfo& info);
// devices(backend) -> Device[]
Napi::Value Devices(const Napi::CallbackInfo& info);
// unavailableReason(backend) -> string | null
Napi::Value UnavailableReason(const Napi::CallbackInfo& info);
// problems() -> ProblemSpec[]
Napi::Value Problems(const Napi::CallbackInfo& info);
// loadPlugin(path, deviceCode?) -> ProblemSpec[]
Napi::Value LoadPlugin(const Napi::CallbackInfo& info);
// variants(backend, benchmark) -> string[], default first
Napi::Value Variants(const Napi::CallbackInfo& info);

}  // namespace ratchet
