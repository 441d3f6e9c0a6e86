// session_wrap.h: a Session as a JS object. open() sets it up on a thread of its own and returns it
// (variant, backend, device, kernel, work, and the kernels one launch enqueues: launches,
// graphNodes); check() and sample() run there and return Promises; clock() and close() answer at once.
#pragma once

#include <napi.h>

#include <memory>

#include "pinned_session.h"

namespace ratchet {

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  // open(backend, benchmark, { device?, variant?, seed? }) -> BenchmarkSession
  static Napi::Value open(const Napi::CallbackInfo& info);

  explicit SessionWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value check(const Napi::CallbackInfo& info);
  Napi::Value sample(const Napi::CallbackInfo& info);
  Napi::Value clock(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);

  // Null once closed.
  std::unique_ptr<PinnedSession> session_;
};

}  // namespace ratchet
