#include "session_wrap.h"

#include <mutex>

#include "async_call.h"
#include "js.h"

namespace ratchet {
namespace {

Napi::FunctionReference& constructor() {
  static Napi::FunctionReference ref;
  return ref;
}

// Handed from open() to the constructor: ObjectWrap constructors only see JS arguments.
std::unique_ptr<PinnedSession>& pendingSession() {
  static std::unique_ptr<PinnedSession> pending;
  return pending;
}

// One sample batch at a time in this process, whichever session it is of: two batches at once
// (samples of two sessions awaited together) would time each other's load on the device.
std::mutex& timingMutex() {
  static auto* mutex = new std::mutex;  // never destroyed: a session's thread may outlive exit
  return *mutex;
}

const Failure kClosed("ERR_RATCHET_USAGE", "this benchmark session is closed");

}  // namespace

Napi::Function SessionWrap::define(Napi::Env env) {
  Napi::Function cls = DefineClass(env, "BenchmarkSession",
                                   {InstanceMethod<&SessionWrap::check>("check"), InstanceMethod<&SessionWrap::sample>("sample"),
                                    InstanceMethod<&SessionWrap::clock>("clock"), InstanceMethod<&SessionWrap::close>("close")});
  constructor() = Napi::Persistent(cls);
  return cls;
}

Napi::Value SessionWrap::open(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const OpenRequest request = openRequestFromJs(info);
    const DeviceInfo device = requestedDevice(request);
    pendingSession() = std::make_unique<PinnedSession>([&request] { return openSession(request); });
    const SessionInfo& opened = pendingSession()->info();
    Napi::Object object;
    try {
      object = constructor().New({});  // takes the pending session
    } catch (...) {
      pendingSession().reset();
      throw;
    }
    const Napi::Value launches = opened.launch ? Napi::Value(launchedKernelsToJs(env, *opened.launch)) : env.Null();
    const Napi::Value nodes = opened.launch ? Napi::Value(stringsToJs(env, opened.launch->nodes)) : env.Null();
    object.DefineProperties({
        Napi::PropertyDescriptor::Value("variant", Napi::String::New(env, opened.variant), napi_enumerable),
        Napi::PropertyDescriptor::Value("backend", Napi::String::New(env, backendName(request.backend)), napi_enumerable),
        Napi::PropertyDescriptor::Value("device", deviceToJs(env, device), napi_enumerable),
        Napi::PropertyDescriptor::Value("kernel", kernelCodeToJs(env, opened.kernel), napi_enumerable),
        Napi::PropertyDescriptor::Value("work", workToJs(env, opened.work), napi_enumerable),
        Napi::PropertyDescriptor::Value("launches", launches, napi_enumerable),
        Napi::PropertyDescriptor::Value("graphNodes", nodes, napi_enumerable),
    });
    return object;
  });
}

SessionWrap::SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info), session_(std::move(pendingSession())) {}

Napi::Value SessionWrap::check(const Napi::CallbackInfo& info) {
  if (!session_) return rejectedWith(info.Env(), kClosed);
  PinnedSession* pinned = session_.get();
  return callOnSessionThread(info.Env(), *pinned, [pinned]() -> ResultToJs {
    const Correctness result = pinned->session().check();
    pinned->lastCheckPassed = result.passed;
    return [result](Napi::Env env) { return correctnessToJs(env, result); };
  });
}

Napi::Value SessionWrap::sample(const Napi::CallbackInfo& info) {
  if (!session_) return rejectedWith(info.Env(), kClosed);
  SampleOptions options;
  try {
    options = sampleOptionsFromJs(info[0]);
  } catch (const Failure& failure) {
    return rejectedWith(info.Env(), failure);
  }
  PinnedSession* pinned = session_.get();
  return callOnSessionThread(info.Env(), *pinned, [pinned, options]() -> ResultToJs {
    // Correct first: a kernel is only timed after its output passed the check (asked before this
    // batch on the same thread, so a check() not yet awaited still counts).
    if (!pinned->lastCheckPassed) fail("ERR_RATCHET_USAGE", "sample() before a passing check(): a kernel is timed only once its output is verified");
    const std::lock_guard<std::mutex> oneAtATime(timingMutex());
    const SampleBatch batch = pinned->session().sample(options);
    return [batch](Napi::Env env) { return sampleBatchToJs(env, batch); };
  });
}

Napi::Value SessionWrap::clock(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (!session_) throw kClosed;
    return clockToJs(info.Env(), session_->clock());
  });
}

// Waits for the calls still queued (their Promises settle afterwards) and tears the instance down.
Napi::Value SessionWrap::close(const Napi::CallbackInfo& info) {
  session_.reset();
  return info.Env().Undefined();
}

}  // namespace ratchet
