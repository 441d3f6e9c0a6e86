#include "cpu_backend.h"

#include <chrono>
#include <fstream>
#include <thread>

#include "cpu_attention.h"
#include "failure.h"
#include "input_generator.h"

namespace ratchet {
namespace {

// The CPU backend is a single-threaded reference: 1 GiB of Q, K, V and O is minutes of work
// per sample already, so larger shapes are refused rather than left to run for hours.
constexpr double kMaxWorkingSetBytes = 1024.0 * 1024 * 1024;
constexpr int64_t kMaxHeadDim = 256;

std::string cpuModelName() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown CPU";
}

const char* architecture() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__aarch64__)
  return "aarch64";
#else
  return "unknown-arch";
#endif
}

void checkShape(const Benchmark& b) {
  if (b.D > kMaxHeadDim) {
    fail("ERR_RATCHET_UNSUPPORTED_SHAPE", b.id() + ": the CPU backend supports head dim D from 1 to " + std::to_string(kMaxHeadDim) + ", not " + std::to_string(b.D));
  }
  const double bytes = 4.0 * double(b.B) * double(b.H) * double(b.S) * double(b.D) * 2.0;
  if (bytes > kMaxWorkingSetBytes) {
    fail("ERR_RATCHET_UNSUPPORTED_SHAPE", b.id() + ": needs " + std::to_string(int64_t(bytes / (1024 * 1024))) +
                                              " MiB for Q, K, V and O; the single-threaded CPU backend takes at most 1024 MiB");
  }
}

class CpuSession final : public Session {
 public:
  CpuSession(const Benchmark& b, const CpuVariant& variant, uint32_t seed) : benchmark_(b), variant_(variant), name_(variant.name), seed_(seed) {
    const size_t n = size_t(b.elements());
    tensors_.q.resize(n);
    tensors_.k.resize(n);
    tensors_.v.resize(n);
    tensors_.o.resize(n);
  }

  const std::string& variant() const override { return name_; }

  Correctness check() override {
    fillInputs(seed_++);
    std::fill(tensors_.o.begin(), tensors_.o.end(), poison(benchmark_.dtype));
    variant_.kernel(benchmark_, tensors_);
    return cpuCheckAgainstFp64(benchmark_, tensors_);
  }

  KernelCode kernel() const override { return {"cpu", variant_.function}; }

  // No portable per-core clock to read: the batch carries times only.
  SampleBatch sample(const SampleOptions& options) override {
    for (int i = 0; i < options.warmup; ++i) variant_.kernel(benchmark_, tensors_);
    SampleBatch batch;
    std::vector<double>& samplesMs = batch.ms;
    samplesMs.reserve(size_t(options.samples));
    const auto extra = std::chrono::duration<double, std::micro>(options.extraUs);
    for (int i = 0; i < options.samples; ++i) {
      const auto start = std::chrono::steady_clock::now();
      variant_.kernel(benchmark_, tensors_);
      if (options.extraUs > 0) {
        const auto kernelDone = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - kernelDone < extra) {
        }
      }
      const auto stop = std::chrono::steady_clock::now();
      samplesMs.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    return batch;
  }

  ClockReading clock() override { return {}; }

 private:
  void fillInputs(uint32_t seed) {
    std::vector<uint16_t>* tensors[] = {&tensors_.q, &tensors_.k, &tensors_.v};
    for (uint32_t t = 0; t < 3; ++t) {
      auto& data = *tensors[t];
      for (size_t i = 0; i < data.size(); ++i) data[i] = fromFloat(benchmark_.dtype, sharedUniform(seed, t, i));
    }
  }

  Benchmark benchmark_;
  CpuVariant variant_;
  std::string name_;
  uint32_t seed_;
  CpuTensors tensors_;
};

}  // namespace

DeviceInfo cpuDevice() {
  DeviceInfo device;
  device.backend = "cpu";
  const std::string model = cpuModelName();
  device.name = model + " (single-threaded reference)";
  device.deviceKey = std::string("cpu/") + architecture() + "/" + sanitizeKey(model);
  device.multiprocessorCount = int(std::thread::hardware_concurrency());
  return device;
}

std::vector<std::string> cpuVariantNames(const Benchmark&) {
  std::vector<std::string> names;
  for (const auto& v : cpuVariants()) names.emplace_back(v.name);
  return names;
}

std::unique_ptr<Session> openCpuSession(const Benchmark& benchmark, const std::string& variant, uint32_t seed) {
  checkShape(benchmark);
  const auto& variants = cpuVariants();
  if (variant.empty()) return std::make_unique<CpuSession>(benchmark, variants.front(), seed);
  for (const auto& v : variants) {
    if (variant == v.name) return std::make_unique<CpuSession>(benchmark, v, seed);
  }
  std::string known;
  for (const auto& v : variants) known += (known.empty() ? "" : ", ") + std::string(v.name);
  fail("ERR_RATCHET_INVALID_BENCHMARK", "unknown CPU variant '" + variant + "' (known: " + known + ")");
}

}  // namespace ratchet
