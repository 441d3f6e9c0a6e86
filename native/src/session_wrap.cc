#include "session_wrap.h"

#include "js.h"

namespace ratchet {
namespace {

Napi::FunctionReference& constructor() {
  static Napi::FunctionReference ref;
  return ref;
}

// Handed from wrap() to the constructor: ObjectWrap constructors only see JS arguments.
std::unique_ptr<Session>& pendingSession() {
  static std::unique_ptr<Session> pending;
  return pending;
}

}  // namespace

Napi::Function SessionWrap::define(Napi::Env env) {
  Napi::Function cls = DefineClass(env, "BenchmarkSession",
                                   {InstanceMethod<&SessionWrap::check>("check"), InstanceMethod<&SessionWrap::sample>("sample"),
                                    InstanceMethod<&SessionWrap::clock>("clock"), InstanceMethod<&SessionWrap::close>("close")});
  constructor() = Napi::Persistent(cls);
  return cls;
}

Napi::Object SessionWrap::wrap(Napi::Env env, std::unique_ptr<Session> session, const std::string& backend, Napi::Object device) {
  const SessionInfo info = session->info();
  pendingSession() = std::move(session);
  Napi::Object object = constructor().New({});
  const Napi::Value launches = info.launch ? Napi::Value(launchedKernelsToJs(env, *info.launch)) : env.Null();
  const Napi::Value nodes = info.launch ? Napi::Value(stringsToJs(env, info.launch->nodes)) : env.Null();
  object.DefineProperties({
      Napi::PropertyDescriptor::Value("variant", Napi::String::New(env, info.variant), napi_enumerable),
      Napi::PropertyDescriptor::Value("backend", Napi::String::New(env, backend), napi_enumerable),
      Napi::PropertyDescriptor::Value("device", device, napi_enumerable),
      Napi::PropertyDescriptor::Value("kernel", kernelCodeToJs(env, info.kernel), napi_enumerable),
      Napi::PropertyDescriptor::Value("work", workToJs(env, info.work), napi_enumerable),
      Napi::PropertyDescriptor::Value("launches", launches, napi_enumerable),
      Napi::PropertyDescriptor::Value("graphNodes", nodes, napi_enumerable),
  });
  return object;
}

SessionWrap::SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info), session_(std::move(pendingSession())) {}

Session& SessionWrap::open() {
  if (!session_) fail("ERR_RATCHET_USAGE", "this benchmark session is closed");
  return *session_;
}

Napi::Value SessionWrap::check(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const Correctness result = open().check();
    checkedOk_ = result.passed;
    return correctnessToJs(info.Env(), result);
  });
}

Napi::Value SessionWrap::sample(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Session& session = open();
    const SampleOptions options = sampleOptionsFromJs(info[0]);
    // Correct first: a kernel is only timed after its output passed the check.
    if (!checkedOk_) fail("ERR_RATCHET_USAGE", "sample() before a passing check(): a kernel is timed only once its output is verified");
    return sampleBatchToJs(info.Env(), session.sample(options));
  });
}

Napi::Value SessionWrap::clock(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value { return clockToJs(info.Env(), open().clock()); });
}

Napi::Value SessionWrap::close(const Napi::CallbackInfo& info) {
  session_.reset();
  return info.Env().Undefined();
}

}  // namespace ratchet
