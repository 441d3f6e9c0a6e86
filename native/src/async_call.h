// async_call.h: a call that returns a Promise at once while its work runs on a session's thread,
// the way sharp's AsyncWorker runs an operation's baton off the main thread: what the work makes is
// plain data, turned into JS on the main thread when the Promise settles (resolved with it, or
// rejected with the RatchetError of what it threw). A thread-safe function carries it back, so no
// thread of libuv's pool waits on the session meanwhile.
#pragma once

#include <napi.h>

#include <functional>

#include "failure.h"
#include "pinned_session.h"

namespace ratchet {

// Made by the work on the session's thread, called on the main thread: the result as a JS value.
using ResultToJs = std::function<Napi::Value(Napi::Env)>;

// Queues `work` on `session`'s thread; the Promise settles with what it makes, or fails with what it throws.
Napi::Promise callOnSessionThread(Napi::Env env, PinnedSession& session, std::function<ResultToJs()> work);

// A Promise already rejected with `failure`: an async call refuses its arguments this way, never by throwing.
Napi::Promise rejectedWith(Napi::Env env, const Failure& failure);

}  // namespace ratchet
