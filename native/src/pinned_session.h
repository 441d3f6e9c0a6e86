// pinned_session.h: a Session on a thread of its own (session_thread.h): set up there, every
// check and sample batch run there in the order asked, torn down there.
#pragma once

#include <functional>
#include <memory>

#include "session.h"
#include "session_thread.h"

namespace ratchet {

class PinnedSession {
 public:
  // Opens the session on a new thread: `open` runs there, and what it throws is thrown here.
  explicit PinnedSession(const std::function<std::unique_ptr<Session>()>& open);
  // close()
  ~PinnedSession();
  PinnedSession(const PinnedSession&) = delete;
  PinnedSession& operator=(const PinnedSession&) = delete;

  // Queues `job` on the session's thread, after what was queued before; it must not throw.
  void post(std::function<void()> job);

  // Set when the session opened; read from any thread.
  const SessionInfo& info() const { return info_; }
  // On the caller's thread: Session::clock reads no state of the problem's instance.
  ClockReading clock() const { return session_->clock(); }

  // The session and whether its last check passed (a kernel is timed only once its output passed):
  // only for jobs running on its thread.
  Session& session() { return *session_; }
  bool lastCheckPassed = false;

 private:
  std::unique_ptr<SessionThread> thread_;
  std::unique_ptr<Session> session_;
  SessionInfo info_;
};

}  // namespace ratchet
