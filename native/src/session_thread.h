// session_thread.h: the one thread a session's work runs on. Every call into a problem's instance
// (setup, fill_inputs, launch, check, teardown) is made from it, as the Problem ABI promises plugins
// ("called from one thread", include/ratchet/problem.h), and so a session's CUDA work always runs
// on one host thread: its current device is set once, the kernels' per-thread caches (the Hopper
// tensor maps, kernels/flash_sm90_launch.cuh) stay warm from one batch to the next, and a stream
// capture (cudaStreamCaptureModeThreadLocal) never meets another session's calls. A thread of the
// libuv pool (Napi::AsyncWorker) would be a different one from call to call.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace ratchet {

class SessionThread {
 public:
  SessionThread();
  // Runs every job posted so far, then joins the thread.
  ~SessionThread();
  SessionThread(const SessionThread&) = delete;
  SessionThread& operator=(const SessionThread&) = delete;

  // Queues `job`; jobs run one at a time, in the order posted. A job must not throw.
  void post(std::function<void()> job);

  // Runs `job` there and waits for it: its result, or what it threw, thrown here.
  template <typename Job>
  auto run(Job&& job) -> decltype(job()) {
    auto task = std::make_shared<std::packaged_task<decltype(job())()>>(std::forward<Job>(job));
    auto result = task->get_future();
    post([task] { (*task)(); });
    return result.get();
  }

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace ratchet
