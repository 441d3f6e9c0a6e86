// session_wrap.h: a Session as a JS object (check, sample, clock, close; variant, backend, device,
// kernel, work, and the kernels one launch enqueues: launches, graphNodes).
#pragma once

#include <napi.h>

#include <memory>

#include "session.h"

namespace ratchet {

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  // Wraps an open session; `device` is the JS device object reported with it.
  static Napi::Object wrap(Napi::Env env, std::unique_ptr<Session> session, const std::string& backend, Napi::Object device);

  explicit SessionWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value check(const Napi::CallbackInfo& info);
  Napi::Value sample(const Napi::CallbackInfo& info);
  Napi::Value clock(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  Session& open();

  std::unique_ptr<Session> session_;
  bool checkedOk_ = false;
};

}  // namespace ratchet
