#include "cpu_backend.h"

#include <chrono>
#include <fstream>
#include <thread>

#include "failure.h"
#include "harness.h"

namespace ratchet {
namespace {

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

const ProblemImpl& cpuImpl(const BenchmarkArgs& args) {
  const ProblemImpl* impl = args.problem->impl("cpu");
  if (!impl) fail("ERR_RATCHET_INVALID_BENCHMARK", args.id + ": " + args.problem->name + " does not run on the cpu backend (it runs on " + args.problem->backends().front() + ")");
  return *impl;
}

class CpuSession final : public Session {
 public:
  CpuSession(const BenchmarkArgs& args, const ProblemImpl& impl, int variant, uint32_t seed)
      : args_(args), abi_(*impl.abi), seed_(seed), instance_(args, impl, variant, 0, seed, [&](ratchet_status status, const std::string& message) {
          raiseProblemStatus(args, "setup", status, message);
        }) {
    info_.variant = impl.variants[size_t(variant)];
    abi_.work(args.values.data(), &info_.work);
    info_.kernel = {"cpu", size_t(variant) < impl.symbols.size() ? impl.symbols[size_t(variant)] : ""};
  }

  const SessionInfo& info() const override { return info_; }

  Correctness check() override {
    call("fill_inputs", abi_.fill_inputs(instance_.handle(), nullptr, seed_++, message_.data(), message_.size()));
    launch();
    ratchet_check_result result{};
    call("check", abi_.check(instance_.handle(), nullptr, &result, message_.data(), message_.size()));
    return correctnessFrom(result);
  }

  // No portable per-core clock to read: the batch carries times only.
  SampleBatch sample(const SampleOptions& options) override {
    for (int i = 0; i < options.warmup; ++i) launch();
    SampleBatch batch;
    std::vector<double>& samplesMs = batch.ms;
    samplesMs.reserve(size_t(options.samples));
    const auto extra = std::chrono::duration<double, std::micro>(options.extraUs);
    for (int i = 0; i < options.samples; ++i) {
      const auto start = std::chrono::steady_clock::now();
      launch();
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

  ClockReading clock() const override { return {}; }

 private:
  void launch() { call("launch", abi_.launch(instance_.handle(), nullptr, message_.data(), message_.size())); }

  void call(const char* phase, ratchet_status status) {
    if (status != RATCHET_OK) raiseProblemStatus(args_, phase, status, message_.str());
  }

  BenchmarkArgs args_;
  const ratchet_problem& abi_;
  uint32_t seed_;
  ProblemMessage message_;
  ProblemInstance instance_;
  SessionInfo info_;
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

std::vector<std::string> cpuVariantNames(const BenchmarkArgs& args) {
  const ProblemImpl* impl = args.problem->impl("cpu");
  return impl ? runnableVariants(args, *impl, 0) : std::vector<std::string>{};
}

std::unique_ptr<Session> openCpuSession(const BenchmarkArgs& args, const std::string& variant, uint32_t seed) {
  const ProblemImpl& impl = cpuImpl(args);
  const int index = chooseVariant(args, impl, variant, 0, "CPU");
  return std::make_unique<CpuSession>(args, impl, index, seed);
}

}  // namespace ratchet
