#include "async_call.h"

#include <memory>
#include <optional>

#include "js.h"

namespace ratchet {
namespace {

// One call in flight: created on the main thread, filled on the session's thread, settled (and
// freed) back on the main thread.
struct PendingCall {
  Napi::Promise::Deferred deferred;
  ResultToJs result;
  std::optional<Failure> failure;
};

void settle(Napi::Env env, Napi::Function, std::nullptr_t*, PendingCall* pending) {
  const std::unique_ptr<PendingCall> call(pending);
  if (env == nullptr) return;  // the environment is shutting down: no one is waiting any more
  try {
    if (call->failure) call->deferred.Reject(toJsError(env, *call->failure).Value());
    else call->deferred.Resolve(call->result(env));
  } catch (const Napi::Error& error) {
    call->deferred.Reject(error.Value());
  }
}

using Settler = Napi::TypedThreadSafeFunction<std::nullptr_t, PendingCall, settle>;

}  // namespace

Napi::Promise callOnSessionThread(Napi::Env env, PinnedSession& session, std::function<ResultToJs()> work) {
  // Holds the event loop open until the call has settled, as a pending fs call does.
  const Settler settler = Settler::New(env, "ratchet.session", 0, 1);
  auto* pending = new PendingCall{Napi::Promise::Deferred::New(env), nullptr, std::nullopt};
  const Napi::Promise promise = pending->deferred.Promise();
  session.post([settler, pending, work = std::move(work)] {
    try {
      pending->result = work();
    } catch (...) {
      pending->failure = currentFailure();
    }
    if (settler.BlockingCall(pending) != napi_ok) delete pending;
    settler.Release();
  });
  return promise;
}

Napi::Promise rejectedWith(Napi::Env env, const Failure& failure) {
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(toJsError(env, failure).Value());
  return deferred.Promise();
}

}  // namespace ratchet
