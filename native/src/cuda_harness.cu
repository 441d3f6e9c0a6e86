// cuda_backend.cu: the CUDA backend. Inputs come from a device-side generator (the shared one of
// input_generator.h, a fresh seed per check), the output is poisoned with NaN before every check,
// the kernel is compared with the fp32 reference of kernels/reference.cu before any timing, and
// samples are CUDA events around the launch on a dedicated non-blocking stream: optional L2
// flush before each sample (cold cache), optional CUDA Graph replay of N launches (no gaps).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "attention.h"
#include "backends.h"
#include "cuda_check.h"
#include "failure.h"
#include "input_generator.h"
#include "nvml.h"

namespace ratchet {
namespace {

// The fp32 reference does 3*S*S*D multiply-adds per head on plain cores; capping the checked
// work at this many keeps a check under about a second on an H100 while still covering whole
// heads (first, last and evenly spaced ones) at every size.
constexpr double kReferenceBudgetFma = 2e10;
constexpr int kMaxCheckedHeads = 8;

__global__ void fillInputKernel(uint16_t* out, int64_t count, uint32_t seed, uint32_t tensor, bool bf16) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const float value = sharedUniform(seed, tensor, uint64_t(i));
    if (bf16) {
      const __nv_bfloat16 h = __float2bfloat16_rn(value);
      out[i] = *reinterpret_cast<const uint16_t*>(&h);
    } else {
      const __half h = __float2half_rn(value);
      out[i] = *reinterpret_cast<const uint16_t*>(&h);
    }
  }
}

// stats: [0] sum (o - ref)^2, [1] sum ref^2, [2] max |o - ref| (as float bits), [3] non-finite count,
// [4] [5] output checksums (scanOutputKernel)
__global__ void compareKernel(const uint16_t* out, const float* ref, int64_t count, bool bf16, double* stats) {
  double diff2 = 0, ref2 = 0;
  float maxAbs = 0;
  unsigned long long bad = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const uint16_t bits = out[i];
    const float got = bf16 ? __bfloat162float(*reinterpret_cast<const __nv_bfloat16*>(&bits)) : __half2float(*reinterpret_cast<const __half*>(&bits));
    if (!isfinite(got)) {
      ++bad;
      continue;
    }
    const float err = fabsf(got - ref[i]);
    diff2 += double(err) * err;
    ref2 += double(ref[i]) * ref[i];
    maxAbs = fmaxf(maxAbs, err);
  }
  atomicAdd(&stats[0], diff2);
  atomicAdd(&stats[1], ref2);
  atomicMax(reinterpret_cast<unsigned int*>(&stats[2]), __float_as_uint(maxAbs));
  atomicAdd(reinterpret_cast<unsigned long long*>(&stats[3]), bad);
}

// Over the whole O: counts non-finite elements (one no thread wrote is still NaN) and sums the
// finite ones (the checksum peers are compared on). sums: [0] sum, [1] sum |x|.
__global__ void scanOutputKernel(const uint16_t* out, int64_t count, bool bf16, unsigned long long* bad, double* sums) {
  unsigned long long local = 0;
  double sum = 0, absSum = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const uint16_t bits = out[i];
    const bool finite = bf16 ? (bits & 0x7f80u) != 0x7f80u : (bits & 0x7c00u) != 0x7c00u;
    if (!finite) {
      ++local;
      continue;
    }
    const float value = bf16 ? __bfloat162float(*reinterpret_cast<const __nv_bfloat16*>(&bits)) : __half2float(*reinterpret_cast<const __half*>(&bits));
    sum += value;
    absSum += fabsf(value);
  }
  if (local) atomicAdd(bad, local);
  atomicAdd(&sums[0], sum);
  atomicAdd(&sums[1], absSum);
}

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

ratchet_attention_params paramsFor(const Benchmark& b) {
  ratchet_attention_params p{};
  p.B = int(b.B);
  p.H = int(b.H);
  p.S = int(b.S);
  p.D = int(b.D);
  p.dtype = b.dtype == Dtype::fp16 ? RATCHET_FP16 : RATCHET_BF16;
  p.causal = b.causal ? 1 : 0;
  p.scale = float(b.scale());
  return p;
}

void checkShape(const Benchmark& b) {
  if (b.D != 64 && b.D != 128) fail("ERR_RATCHET_UNSUPPORTED_SHAPE", b.id() + ": the CUDA kernels support head dim D = 64 or 128, not " + std::to_string(b.D));
  if (b.B > 65535 || b.H > 65535 || b.S > (int64_t(1) << 30)) fail("ERR_RATCHET_UNSUPPORTED_SHAPE", b.id() + ": B and H must be at most 65535 and S at most 2^30");
}

std::string gib(double bytes) {
  std::ostringstream text;
  text.precision(3);
  text << bytes / (1024.0 * 1024 * 1024) << " GiB";
  return text.str();
}

// Keeps a device allocation and frees it (ignoring errors) when the session goes.
struct DeviceBuffer {
  void* pointer = nullptr;
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (pointer) cudaFree(pointer);
  }
  void allocate(size_t bytes) { RATCHET_CUDA_TRY(cudaMalloc(&pointer, std::max<size_t>(bytes, 16))); }
  template <typename T>
  T* as() const { return static_cast<T*>(pointer); }
};

class CudaSession final : public Session {
 public:
  CudaSession(const Benchmark& b, int variantIndex, uint32_t seed, int device)
      : benchmark_(b), variantIndex_(variantIndex), variantName_(ratchet_flash_fwd_variant_name(variantIndex)), seed_(seed), device_(device), sm_(smVersion(device)) {
    RATCHET_CUDA_TRY(cudaSetDevice(device));
    chooseCheckedHeads();
    const size_t tensorBytes = size_t(b.elements()) * 2;
    const size_t headElements = size_t(b.S * b.D);
    int l2Bytes = 0;
    RATCHET_CUDA_TRY(cudaDeviceGetAttribute(&l2Bytes, cudaDevAttrL2CacheSize, device));
    flushBytes_ = size_t(l2Bytes) * 2;  // twice the L2: whatever was cached is evicted
    const size_t checkedBytes = checkedHeads_.size() * headElements * (3 * 2 + 2 + 4);
    const double needed = 4.0 * tensorBytes + double(checkedBytes) + double(flushBytes_) + 64;
    size_t freeBytes = 0, totalBytes = 0;
    RATCHET_CUDA_TRY(cudaMemGetInfo(&freeBytes, &totalBytes));
    if (needed > 0.95 * double(freeBytes)) {
      fail("ERR_RATCHET_OUT_OF_MEMORY", b.id() + ": needs " + gib(needed) + " of device memory; " + gib(double(freeBytes)) + " of " + gib(double(totalBytes)) + " is free");
    }
    RATCHET_CUDA_TRY(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    RATCHET_CUDA_TRY(cudaEventCreate(&start_));
    RATCHET_CUDA_TRY(cudaEventCreate(&stop_));
    for (DeviceBuffer* tensor : {&q_, &k_, &v_, &o_}) tensor->allocate(tensorBytes);
    checkedInputs_.allocate(checkedHeads_.size() * headElements * 3 * 2);
    checkedOut_.allocate(checkedHeads_.size() * headElements * 2);
    reference_.allocate(checkedHeads_.size() * headElements * 4);
    stats_.allocate(6 * sizeof(double));
    flush_.allocate(flushBytes_);
  }

  ~CudaSession() override {
    if (graph_) cudaGraphExecDestroy(graph_);
    if (start_) cudaEventDestroy(start_);
    if (stop_) cudaEventDestroy(stop_);
    if (stream_) cudaStreamDestroy(stream_);
  }

  const std::string& variant() const override { return variantName_; }

  Correctness check() override {
    requireUsableDevice();
    RATCHET_CUDA_TRY(cudaSetDevice(device_));
    const bool bf16 = benchmark_.dtype == Dtype::bf16;
    const int64_t count = benchmark_.elements();
    const uint32_t seed = seed_++;
    DeviceBuffer* inputs[] = {&q_, &k_, &v_};
    for (uint32_t t = 0; t < 3; ++t) {
      fillInputKernel<<<1024, 256, 0, stream_>>>(inputs[t]->as<uint16_t>(), count, seed, t, bf16);
      RATCHET_CUDA_TRY(cudaGetLastError());
    }
    RATCHET_CUDA_TRY(cudaMemsetAsync(o_.pointer, 0xff, size_t(count) * 2, stream_));  // 0xffff is NaN in fp16 and bf16
    launch();

    // The reference runs on copies of the checked heads, packed so one launch covers them all.
    const size_t headElements = size_t(benchmark_.S * benchmark_.D);
    const int heads = int(checkedHeads_.size());
    uint16_t* packed = checkedInputs_.as<uint16_t>();
    for (int h = 0; h < heads; ++h) {
      for (int t = 0; t < 3; ++t) {
        RATCHET_CUDA_TRY(cudaMemcpyAsync(packed + (size_t(t) * heads + h) * headElements, inputs[t]->as<uint16_t>() + checkedHeads_[size_t(h)] * headElements,
                                         headElements * 2, cudaMemcpyDeviceToDevice, stream_));
      }
      RATCHET_CUDA_TRY(cudaMemcpyAsync(checkedOut_.as<uint16_t>() + size_t(h) * headElements, o_.as<uint16_t>() + checkedHeads_[size_t(h)] * headElements,
                                       headElements * 2, cudaMemcpyDeviceToDevice, stream_));
    }
    ratchet_attention_params reference = paramsFor(benchmark_);
    reference.B = 1;
    reference.H = heads;
    reference.q = packed;
    reference.k = packed + size_t(heads) * headElements;
    reference.v = packed + size_t(2 * heads) * headElements;
    reference.o = reference_.pointer;
    RATCHET_CUDA_TRY(ratchet_attention_reference(&reference, stream_));

    RATCHET_CUDA_TRY(cudaMemsetAsync(stats_.pointer, 0, 6 * sizeof(double), stream_));
    compareKernel<<<512, 256, 0, stream_>>>(checkedOut_.as<uint16_t>(), reference_.as<float>(), int64_t(heads * headElements), bf16, stats_.as<double>());
    RATCHET_CUDA_TRY(cudaGetLastError());
    scanOutputKernel<<<1024, 256, 0, stream_>>>(o_.as<uint16_t>(), count, bf16, reinterpret_cast<unsigned long long*>(stats_.as<double>() + 3), stats_.as<double>() + 4);
    RATCHET_CUDA_TRY(cudaGetLastError());
    double stats[6];
    RATCHET_CUDA_TRY(cudaMemcpyAsync(stats, stats_.pointer, sizeof stats, cudaMemcpyDeviceToHost, stream_));
    RATCHET_CUDA_TRY(cudaStreamSynchronize(stream_));

    Correctness result;
    result.reference = "cuda-fp32-reference (" + std::to_string(heads) + " of " + std::to_string(benchmark_.B * benchmark_.H) + " heads)";
    result.tolerance = toleranceFor(benchmark_.dtype);
    uint32_t maxBits = 0;
    std::memcpy(&maxBits, &stats[2], sizeof maxBits);
    float maxAbs = 0;
    std::memcpy(&maxAbs, &maxBits, sizeof maxAbs);
    uint64_t nonFinite = 0;
    std::memcpy(&nonFinite, &stats[3], sizeof nonFinite);
    result.maxAbsError = maxAbs;
    result.outputSum = stats[4];
    result.outputAbsSum = stats[5];
    result.relError = stats[1] > 0 ? std::sqrt(stats[0] / stats[1]) : 0;
    if (nonFinite > 0) {
      result.detail = std::to_string(nonFinite) + " output elements are NaN or infinite (unwritten or overflowed)";
      result.relError = result.maxAbsError = std::numeric_limits<double>::max();
    } else if (!(result.relError <= result.tolerance)) {
      std::ostringstream detail;
      detail << "relative error " << result.relError << " over the " << result.tolerance << " bound";
      result.detail = detail.str();
    }
    result.passed = result.detail.empty();
    return result;
  }

  KernelCode kernel() const override {
    // The name the runtime knows the kernel by, as in the cubin: the identity file's key.
    const ratchet_attention_params params = paramsFor(benchmark_);
    const void* function = ratchet_flash_fwd_kernel(variantIndex_, &params);
    const char* name = nullptr;
    if (!function || cudaFuncGetName(&name, function) != cudaSuccess || !name) {
      cudaGetLastError();  // a missing name is not a sticky error; the identity is just unknown
      return {"sm_" + std::to_string(sm_), ""};
    }
    return {"sm_" + std::to_string(sm_), name};
  }

  SampleBatch sample(const SampleOptions& options) override {
    requireUsableDevice();
    RATCHET_CUDA_TRY(cudaSetDevice(device_));
    for (int i = 0; i < options.warmup; ++i) launch();
    if (options.launchesPerSample > 1) prepareGraph(options.launchesPerSample);
    const bool timerWait = options.extraUs >= kTimerWaitMinUs;
    const long long spinCycles = options.extraUs > 0 && !timerWait ? (long long)(options.extraUs * measuredSmClockMHz()) : 0;
    SampleBatch batch;
    std::vector<double>& samplesMs = batch.ms;
    samplesMs.reserve(size_t(options.samples));
    batch.clockMHz.reserve(size_t(options.samples));
    for (int i = 0; i < options.samples; ++i) {
      if (options.l2Flush) RATCHET_CUDA_TRY(cudaMemsetAsync(flush_.pointer, i & 0xff, flushBytes_, stream_));
      RATCHET_CUDA_TRY(cudaEventRecord(start_, stream_));
      if (options.launchesPerSample > 1) RATCHET_CUDA_TRY(cudaGraphLaunch(graph_, stream_));
      else launch();
      if (timerWait) {
        timerWaitKernel<<<1, 1, 0, stream_>>>((unsigned long long)(options.extraUs * 1e3));
        RATCHET_CUDA_TRY(cudaGetLastError());
      } else if (options.extraUs > 0) {
        spinKernel<<<1, 1, 0, stream_>>>(spinCycles);
        RATCHET_CUDA_TRY(cudaGetLastError());
      }
      RATCHET_CUDA_TRY(cudaEventRecord(stop_, stream_));
      RATCHET_CUDA_TRY(cudaEventSynchronize(stop_));
      float elapsedMs = 0;
      RATCHET_CUDA_TRY(cudaEventElapsedTime(&elapsedMs, start_, stop_));
      samplesMs.push_back(double(elapsedMs) / options.launchesPerSample);
      // Read right after the sample, while the SMs still run at the clock they ran it at.
      const double clockMHz = nvmlReadSmClockMHz(device_);
      if (clockMHz > 0) batch.clockMHz.push_back(clockMHz);
    }
    if (batch.clockMHz.size() != samplesMs.size()) batch.clockMHz.clear();  // all or nothing
    return batch;
  }

  ClockReading clock() override {
    const NvmlClock reading = nvmlReadClock(device_);
    ClockReading result;
    result.smClockMHz = reading.smClockMHz;
    result.throttleReasons = reading.throttleReasons;
    return result;
  }

 private:
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
        RATCHET_CUDA_TRY(cudaEventRecord(start_, stream_));
        spinKernel<<<1, 1, 0, stream_>>>(kCycles * (i + 1));
        RATCHET_CUDA_TRY(cudaGetLastError());
        RATCHET_CUDA_TRY(cudaEventRecord(stop_, stream_));
        RATCHET_CUDA_TRY(cudaEventSynchronize(stop_));
        float ms = 0;
        RATCHET_CUDA_TRY(cudaEventElapsedTime(&ms, start_, stop_));
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

  void chooseCheckedHeads() {
    const int64_t heads = benchmark_.B * benchmark_.H;
    const double perHead = 3.0 * double(benchmark_.S) * double(benchmark_.S) * double(benchmark_.D);
    const int64_t budget = std::max<int64_t>(1, std::min<int64_t>(kMaxCheckedHeads, int64_t(kReferenceBudgetFma / perHead)));
    const int64_t count = std::min(heads, budget);
    for (int64_t i = 0; i < count; ++i) checkedHeads_.push_back(count == 1 ? 0 : (i * (heads - 1)) / (count - 1));
  }

  void launch() {
    ratchet_attention_params p = paramsFor(benchmark_);
    p.q = q_.pointer;
    p.k = k_.pointer;
    p.v = v_.pointer;
    p.o = o_.pointer;
    RATCHET_CUDA_TRY(ratchet_flash_fwd(variantIndex_, &p, stream_));
  }

  void prepareGraph(int launches) {
    if (graph_ && graphLaunches_ == launches) return;
    if (graph_) cudaGraphExecDestroy(graph_);
    graph_ = nullptr;
    cudaGraph_t graph = nullptr;
    RATCHET_CUDA_TRY(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
    for (int i = 0; i < launches; ++i) launch();
    RATCHET_CUDA_TRY(cudaStreamEndCapture(stream_, &graph));
    const cudaError_t instantiated = cudaGraphInstantiate(&graph_, graph, 0);
    cudaGraphDestroy(graph);
    RATCHET_CUDA_TRY(instantiated);
    graphLaunches_ = launches;
  }

  Benchmark benchmark_;
  int variantIndex_;
  std::string variantName_;
  uint32_t seed_;
  int device_;
  int sm_;
  std::vector<int64_t> checkedHeads_;
  size_t flushBytes_ = 0;
  cudaStream_t stream_ = nullptr;
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
  cudaGraphExec_t graph_ = nullptr;
  int graphLaunches_ = 0;
  double spinClockMHz_ = 0;
  std::chrono::steady_clock::time_point spinClockAt_;
  DeviceBuffer q_, k_, v_, o_, checkedInputs_, checkedOut_, reference_, stats_, flush_;
};

}  // namespace

std::vector<std::string> cudaVariantNames(const Benchmark& benchmark, int device) {
  if (cudaDevices().empty()) return {};
  ratchet_attention_params p = paramsFor(benchmark);
  const int sm = smVersion(device);
  const int preferred = ratchet_flash_fwd_default_variant(&p, sm);
  std::vector<std::string> names;
  if (preferred >= 0) names.emplace_back(ratchet_flash_fwd_variant_name(preferred));
  for (int v = 0; v < ratchet_flash_fwd_variant_count(); ++v) {
    if (v != preferred && ratchet_flash_fwd_variant_supports(v, &p, sm)) names.emplace_back(ratchet_flash_fwd_variant_name(v));
  }
  return names;
}

std::unique_ptr<Session> openCudaSession(const Benchmark& benchmark, const std::string& variant, uint32_t seed, int device) {
  requireUsableDevice();
  if (cudaDevices().empty()) fail(cudaDriverTooOld() ? "ERR_RATCHET_DRIVER_TOO_OLD" : "ERR_RATCHET_NO_DEVICE", cudaUnavailableReason());
  checkShape(benchmark);
  const ratchet_attention_params p = paramsFor(benchmark);
  const int sm = smVersion(device);
  int index = -1;
  if (variant.empty()) {
    index = ratchet_flash_fwd_default_variant(&p, sm);
  } else {
    for (int v = 0; v < ratchet_flash_fwd_variant_count(); ++v)
      if (variant == ratchet_flash_fwd_variant_name(v)) index = v;
    if (index < 0) {
      std::string known;
      for (int v = 0; v < ratchet_flash_fwd_variant_count(); ++v) known += (v ? ", " : "") + std::string(ratchet_flash_fwd_variant_name(v));
      fail("ERR_RATCHET_INVALID_BENCHMARK", "unknown CUDA variant '" + variant + "' (known: " + known + ")");
    }
  }
  if (index < 0 || !ratchet_flash_fwd_variant_supports(index, &p, sm)) {
    fail("ERR_RATCHET_UNSUPPORTED_SHAPE", benchmark.id() + ": no compiled variant supports this shape on sm_" + std::to_string(sm));
  }
  return std::make_unique<CudaSession>(benchmark, index, seed, device);
}

}  // namespace ratchet
