// cuda_harness.cu: the CUDA timer, for any CUDA problem (built-in or plugin) and knowing nothing
// of its shape. The problem sets up its instance; the harness owns a dedicated non-blocking
// stream and the events around each sample, an optional L2 flush before each sample (cold cache),
// optional CUDA Graph replay of N launches (no gaps), the SM clock read after each sample, the
// injected waits of `ratchet calibrate`, and turns every CUDA failure into a Failure (a sticky one
// poisons the device for the process). Inputs are fresh and outputs poisoned before every check,
// and nothing is timed before a check passed (session_wrap.cc).
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "backends.h"
#include "builtin/cuda_support.h"
#include "cuda_check.h"
#include "failure.h"
#include "harness.h"
#include "launch_capture.h"
#include "nvml.h"

namespace ratchet {
namespace {

// One thread spinning on the SM cycle counter: the known slowdown `ratchet calibrate` injects.
__global__ void spinKernel(long long cycles) {
  const long long start = clock64();
  while (clock64() - start < cycles) {
  }
}

// One thread waiting on the global nanosecond timer: a wait of known length whatever the SM clock
// does meanwhile (for waits long enough that the timer's resolution does not matter).
__global__ void timerWaitKernel(unsigned long long ns) {
  unsigned long long start = 0, now = 0;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
  do {
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
  } while (now - start < ns);
}

// Waits at least this long are timed by the global timer, shorter ones by counting cycles: on the
// H100 a cycle-counted wait sized from a clock measured between batches was sometimes half as long
// as asked on the heaviest shapes, while the timer's microsecond-scale resolution is still a
// sizeable part of a wait of a few microseconds.
constexpr double kTimerWaitMinUs = 20;

int smVersion(int device) {
  int major = 0, minor = 0;
  RATCHET_CUDA_TRY(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
  RATCHET_CUDA_TRY(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
  return major * 10 + minor;
}

// The harness's own CUDA objects, released (errors ignored) with the session, also when its
// constructor throws half way.
struct Stream {
  cudaStream_t handle = nullptr;
  ~Stream() {
    if (handle) cudaStreamDestroy(handle);
  }
};
struct Event {
  cudaEvent_t handle = nullptr;
  ~Event() {
    if (handle) cudaEventDestroy(handle);
  }
};
struct GraphExec {
  cudaGraphExec_t handle = nullptr;
  int launches = 0;
  ~GraphExec() { reset(); }
  void reset() {
    if (handle) cudaGraphExecDestroy(handle);
    handle = nullptr;
    launches = 0;
  }
};

class CudaSession final : public Session {
 public:
  CudaSession(const BenchmarkArgs& args, const ProblemImpl& impl, int variant, uint32_t seed, int device)
      : args_(args), abi_(*impl.abi), seed_(seed), device_(device), sm_(smVersion(device)) {
    RATCHET_CUDA_TRY(cudaSetDevice(device));
    int l2Bytes = 0;
    RATCHET_CUDA_TRY(cudaDeviceGetAttribute(&l2Bytes, cudaDevAttrL2CacheSize, device));
    flushBytes_ = size_t(l2Bytes) * 2;  // twice the L2: whatever was cached is evicted
    RATCHET_CUDA_TRY(cudaStreamCreateWithFlags(&stream_.handle, cudaStreamNonBlocking));
    RATCHET_CUDA_TRY(cudaEventCreate(&start_.handle));
    RATCHET_CUDA_TRY(cudaEventCreate(&stop_.handle));
    // Before the problem's own buffers, so its memory check sees what is left.
    RATCHET_CUDA_TRY(flush_.allocate(flushBytes_));
    instance_.emplace(args, impl, variant, device, seed, [&](ratchet_status status, const std::string& message) { raise("setup", status, message); });
    info_.variant = impl.variants[size_t(variant)];
    abi_.work(args.values.data(), &info_.work);
    identifyLaunch();
  }

  const SessionInfo& info() const override { return info_; }

  Correctness check() override {
    requireUsableDevice();
    RATCHET_CUDA_TRY(cudaSetDevice(device_));
    call("fill_inputs", abi_.fill_inputs(handle(), stream_.handle, seed_++, message_.data(), message_.size()));
    launch();
    // A fault of the launch is the launch's, not the check's.
    RATCHET_CUDA_TRY(cudaStreamSynchronize(stream_.handle));
    ratchet_check_result result{};
    call("check", abi_.check(handle(), stream_.handle, &result, message_.data(), message_.size()));
    return correctnessFrom(result);
  }

  SampleBatch sample(const SampleOptions& options) override {
    requireUsableDevice();
    RATCHET_CUDA_TRY(cudaSetDevice(device_));
    for (int i = 0; i < options.warmup; ++i) launch();
    if (options.launchesPerSample > 1) prepareGraph(options.launchesPerSample);
    const bool timerWait = options.extraUs >= kTimerWaitMinUs;
    const long long spinCycles = options.extraUs > 0 && !timerWait ? (long long)(options.extraUs * measuredSmClockMHz()) : 0;
    const cudaStream_t stream = stream_.handle;
    SampleBatch batch;
    std::vector<double>& samplesMs = batch.ms;
    samplesMs.reserve(size_t(options.samples));
    batch.clockMHz.reserve(size_t(options.samples));
    for (int i = 0; i < options.samples; ++i) {
      if (options.l2Flush) RATCHET_CUDA_TRY(cudaMemsetAsync(flush_.pointer, i & 0xff, flushBytes_, stream));
      RATCHET_CUDA_TRY(cudaEventRecord(start_.handle, stream));
      if (options.launchesPerSample > 1) RATCHET_CUDA_TRY(cudaGraphLaunch(graph_.handle, stream));
      else launch();
      if (timerWait) {
        timerWaitKernel<<<1, 1, 0, stream>>>((unsigned long long)(options.extraUs * 1e3));
        RATCHET_CUDA_TRY(cudaGetLastError());
      } else if (options.extraUs > 0) {
        spinKernel<<<1, 1, 0, stream>>>(spinCycles);
        RATCHET_CUDA_TRY(cudaGetLastError());
      }
      RATCHET_CUDA_TRY(cudaEventRecord(stop_.handle, stream));
      RATCHET_CUDA_TRY(cudaEventSynchronize(stop_.handle));
      float elapsedMs = 0;
      RATCHET_CUDA_TRY(cudaEventElapsedTime(&elapsedMs, start_.handle, stop_.handle));
      samplesMs.push_back(double(elapsedMs) / options.launchesPerSample);
      // Read right after the sample, while the SMs still run at the clock they ran it at.
      const double clockMHz = nvmlReadSmClockMHz(device_);
      if (clockMHz > 0) batch.clockMHz.push_back(clockMHz);
    }
    if (batch.clockMHz.size() != samplesMs.size()) batch.clockMHz.clear();  // all or nothing
    return batch;
  }

  ClockReading clock() const override {
    const NvmlClock reading = nvmlReadClock(device_);
    ClockReading result;
    result.smClockMHz = reading.smClockMHz;
    result.throttleReasons = reading.throttleReasons;
    return result;
  }

 private:
  void* handle() const { return instance_->handle(); }

  // The timed call: the problem's launch, its status checked (a branch never taken when it works).
  void launch() { call("launch", abi_.launch(handle(), stream_.handle, message_.data(), message_.size())); }

  void call(const char* phase, ratchet_status status) {
    if (status != RATCHET_OK) raise(phase, status, message_.str());
  }

  [[noreturn]] void raise(const char* phase, ratchet_status status, const std::string& message) {
    const std::string context = args_.id + ": " + phase + ": " + message;
    if (status > 0) {
      if (status == cudaErrorNoKernelImageForDevice) noDeviceCode(phase);
      cudaFailure(cudaError_t(status), context);
    }
    // The problem's own failure, unless the device is gone: then that is what happened.
    const cudaError_t state = cudaStreamSynchronize(stream_.handle);
    if (isStickyCudaError(state)) cudaFailure(state, context);
    if (state != cudaSuccess) cudaGetLastError();
    raiseProblemStatus(args_, phase, status, message);
  }

  [[noreturn]] void noDeviceCode(const char* phase) {
    const ProblemSource& source = args_.problem->source;
    const std::string sm = std::to_string(sm_);
    const std::string carries = source.deviceCode.empty() ? "" : " (it carries " + source.deviceCode + ")";
    if (source.kind == "plugin") {
      fail("ERR_RATCHET_PLUGIN", args_.id + ": " + phase + ": " + source.path + " has no device code for this GPU (sm_" + sm + ")" + carries +
                                     "; rebuild it with -gencode arch=compute_" + sm + ",code=sm_" + sm);
    }
    fail("ERR_RATCHET_CUDA", args_.id + ": " + phase + ": this build of the addon has no device code for sm_" + sm + "; rebuild it with RATCHET_CUDA_ARCHITECTURES=" + sm + "-real");
  }

  // One launch captured (never run) and its kernels read: names, geometry, attributes, for the
  // session's identity. A launch that cannot be captured is refused: graph replay needs it too.
  // One plain launch first: it loads the kernels' modules (lazy loading would otherwise load them
  // inside the capture) and lets host code set function attributes before they are read.
  void identifyLaunch() {
    launch();
    RATCHET_CUDA_TRY(cudaStreamSynchronize(stream_.handle));
    const CaptureResult captured = captureLaunch(stream_.handle, [&] { return abi_.launch(handle(), stream_.handle, message_.data(), message_.size()); });
    if (captured.status != RATCHET_OK) raise("launch (captured into a CUDA graph)", captured.status, message_.str());
    info_.launch = captured.launch;
    const bool named = info_.launch && !info_.launch->kernels.empty();
    info_.kernel = {"sm_" + std::to_string(sm_), named ? info_.launch->kernels.front().name : ""};
  }

  // The SM clock measured on the GPU itself: how long 2N spin cycles take beyond N (the launch
  // overhead cancels), each spin right after the kernel, as in a sample, so the SMs are in the
  // state the samples leave them in (a lone spin on a resting GPU can run at a fraction of the
  // loaded clock). Sizes the injected wait, where one NVML reading could be stale. Measured again
  // after a second, so a drifting clock is followed without paying every batch.
  double measuredSmClockMHz() {
    const auto now = std::chrono::steady_clock::now();
    if (spinClockMHz_ > 0 && now - spinClockAt_ < std::chrono::seconds(1)) return spinClockMHz_;
    spinClockMHz_ = spinClockNowMHz();
    spinClockAt_ = now;
    return spinClockMHz_;
  }

  double spinClockNowMHz() {
    constexpr long long kCycles = 1 << 16;  // about 33 us at 1980 MHz
    constexpr int kRepeats = 4;
    std::vector<float> elapsed[2];
    for (int r = 0; r < kRepeats; ++r) {
      for (int i = 0; i < 2; ++i) {
        launch();
        RATCHET_CUDA_TRY(cudaEventRecord(start_.handle, stream_.handle));
        spinKernel<<<1, 1, 0, stream_.handle>>>(kCycles * (i + 1));
        RATCHET_CUDA_TRY(cudaGetLastError());
        RATCHET_CUDA_TRY(cudaEventRecord(stop_.handle, stream_.handle));
        RATCHET_CUDA_TRY(cudaEventSynchronize(stop_.handle));
        float ms = 0;
        RATCHET_CUDA_TRY(cudaEventElapsedTime(&ms, start_.handle, stop_.handle));
        elapsed[i].push_back(ms);
      }
    }
    for (auto& times : elapsed) std::sort(times.begin(), times.end());
    const double extraMs = (double(elapsed[1][kRepeats / 2]) - double(elapsed[0][kRepeats / 2]));
    if (extraMs > 0) return double(kCycles) / (extraMs * 1e3);
    int maxClockKHz = 0;
    RATCHET_CUDA_TRY(cudaDeviceGetAttribute(&maxClockKHz, cudaDevAttrClockRate, device_));
    return maxClockKHz / 1e3;
  }

  void prepareGraph(int launches) {
    if (graph_.handle && graph_.launches == launches) return;
    graph_.reset();
    cudaGraph_t graph = nullptr;
    RATCHET_CUDA_TRY(cudaStreamBeginCapture(stream_.handle, cudaStreamCaptureModeThreadLocal));
    ratchet_status status = RATCHET_OK;
    for (int i = 0; i < launches && status == RATCHET_OK; ++i) status = abi_.launch(handle(), stream_.handle, message_.data(), message_.size());
    const cudaError_t ended = cudaStreamEndCapture(stream_.handle, &graph);
    if (status != RATCHET_OK) {
      if (graph) cudaGraphDestroy(graph);
      raise("launch (captured into a CUDA graph)", status, message_.str());
    }
    RATCHET_CUDA_TRY(ended);
    const cudaError_t instantiated = cudaGraphInstantiate(&graph_.handle, graph, 0);
    cudaGraphDestroy(graph);
    RATCHET_CUDA_TRY(instantiated);
    graph_.launches = launches;
  }

  BenchmarkArgs args_;
  const ratchet_problem& abi_;
  uint32_t seed_;
  int device_;
  int sm_;
  size_t flushBytes_ = 0;
  Stream stream_;
  Event start_, stop_;
  DeviceBuffer flush_;
  GraphExec graph_;
  double spinClockMHz_ = 0;
  std::chrono::steady_clock::time_point spinClockAt_;
  ProblemMessage message_;
  SessionInfo info_;
  // Last: torn down first, while the stream and buffers above still exist.
  std::optional<ProblemInstance> instance_;
};

const ProblemImpl& cudaImpl(const BenchmarkArgs& args) {
  const ProblemImpl* impl = args.problem->impl("cuda");
  if (!impl) fail("ERR_RATCHET_INVALID_BENCHMARK", args.id + ": " + args.problem->name + " does not run on the cuda backend (it runs on " + args.problem->backends().front() + ")");
  return *impl;
}

}  // namespace

std::vector<std::string> cudaVariantNames(const BenchmarkArgs& args, int device) {
  const ProblemImpl* impl = args.problem->impl("cuda");
  if (cudaDevices().empty() || !impl) return {};
  return runnableVariants(args, *impl, smVersion(device));
}

std::unique_ptr<Session> openCudaSession(const BenchmarkArgs& args, const std::string& variant, uint32_t seed, int device) {
  requireUsableDevice();
  if (cudaDevices().empty()) fail(cudaDriverTooOld() ? "ERR_RATCHET_DRIVER_TOO_OLD" : "ERR_RATCHET_NO_DEVICE", cudaUnavailableReason());
  const ProblemImpl& impl = cudaImpl(args);
  const int index = chooseVariant(args, impl, variant, smVersion(device), "CUDA");
  return std::make_unique<CudaSession>(args, impl, index, seed, device);
}

}  // namespace ratchet
