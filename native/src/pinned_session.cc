#include "pinned_session.h"

namespace ratchet {

PinnedSession::PinnedSession(const std::function<std::unique_ptr<Session>()>& open) : thread_(std::make_unique<SessionThread>()) {
  session_ = thread_->run(open);
  info_ = session_->info();
}

// The jobs queued before run first (their sessions' promises still settle), then the problem's
// teardown, on the thread that set it up; then the thread ends.
PinnedSession::~PinnedSession() {
  thread_->run([this] { session_.reset(); });
}

void PinnedSession::post(std::function<void()> job) { thread_->post(std::move(job)); }

}  // namespace ratchet
