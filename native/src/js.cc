#include "js.h"

#include <cmath>

namespace ratchet {
namespace {

Napi::FunctionReference& errorClassRef() {
  static Napi::FunctionReference ref;
  return ref;
}

std::string describe(const Napi::Value& value) {
  if (value.IsUndefined()) return "undefined";
  if (value.IsNull()) return "null";
  if (value.IsString()) return "\"" + value.As<Napi::String>().Utf8Value() + "\" (string)";
  if (value.IsNumber()) {
    const double n = value.As<Napi::Number>().DoubleValue();
    std::string text = std::to_string(n);
    if (n == std::floor(n) && std::abs(n) < 1e15) text = std::to_string(int64_t(n));
    return text + " (number)";
  }
  if (value.IsBoolean()) return std::string(value.As<Napi::Boolean>().Value() ? "true" : "false") + " (boolean)";
  return value.IsArray() ? "an array" : "an object";
}

[[noreturn]] void invalid(const std::string& field, const std::string& expected, const Napi::Value& got) {
  fail("ERR_RATCHET_INVALID_BENCHMARK", "benchmark." + field + ": expected " + expected + " but received " + describe(got));
}

int64_t integerField(const Napi::Object& object, const char* field) {
  const Napi::Value value = object.Get(field);
  if (!value.IsNumber()) invalid(field, "an integer", value);
  const double n = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(n) || n != std::floor(n) || std::abs(n) > 9.0e15) invalid(field, "an integer", value);
  return int64_t(n);
}

int intOption(const Napi::Object& object, const char* field, int minimum) {
  const Napi::Value value = object.Get(field);
  const double n = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : std::nan("");
  if (!std::isfinite(n) || n != std::floor(n) || n < minimum || n > 1e9) {
    fail("ERR_RATCHET_INVALID_BENCHMARK", std::string("sample options.") + field + ": expected an integer >= " + std::to_string(minimum) + " but received " + describe(value));
  }
  return int(n);
}

template <typename T>
Napi::Value optional(Napi::Env env, const std::optional<T>& value) {
  if (!value) return env.Null();
  if constexpr (std::is_same_v<T, std::string>) return Napi::String::New(env, *value);
  else return Napi::Number::New(env, double(*value));
}

}  // namespace

void setErrorClass(const Napi::Function& errorClass) { errorClassRef() = Napi::Persistent(errorClass); }

Napi::Error toJsError(Napi::Env env, const Failure& failure) {
  auto& ref = errorClassRef();
  if (!ref.IsEmpty()) {
    Napi::Object error = ref.New({Napi::String::New(env, failure.code), Napi::String::New(env, failure.what())});
    return Napi::Error(env, error);
  }
  Napi::Error error = Napi::Error::New(env, failure.what());
  error.Set("code", Napi::String::New(env, failure.code));
  return error;
}

Benchmark benchmarkFromJs(const Napi::Value& value) {
  if (!value.IsObject() || value.IsArray()) invalid("(itself)", "an object", value);
  const Napi::Object object = value.As<Napi::Object>();
  Benchmark b;
  const Napi::Value kernel = object.Get("kernel");
  if (!kernel.IsString()) invalid("kernel", "a string", kernel);
  b.kernel = kernel.As<Napi::String>().Utf8Value();
  const Napi::Value dtype = object.Get("dtype");
  const std::string dtypeName = dtype.IsString() ? dtype.As<Napi::String>().Utf8Value() : "";
  if (dtypeName == "fp16") b.dtype = Dtype::fp16;
  else if (dtypeName == "bf16") b.dtype = Dtype::bf16;
  else invalid("dtype", "\"fp16\" or \"bf16\"", dtype);
  b.B = integerField(object, "B");
  b.H = integerField(object, "H");
  b.S = integerField(object, "S");
  b.D = integerField(object, "D");
  const Napi::Value causal = object.Get("causal");
  if (!causal.IsBoolean()) invalid("causal", "a boolean", causal);
  b.causal = causal.As<Napi::Boolean>().Value();
  const char* names[] = {"B", "H", "S", "D"};
  const int64_t values[] = {b.B, b.H, b.S, b.D};
  for (int i = 0; i < 4; ++i) {
    if (values[i] < 1) {
      fail("ERR_RATCHET_UNSUPPORTED_SHAPE", b.id() + ": " + names[i] + " must be at least 1, not " + std::to_string(values[i]));
    }
  }
  return b;
}

SampleOptions sampleOptionsFromJs(const Napi::Value& value) {
  if (!value.IsObject()) fail("ERR_RATCHET_INVALID_BENCHMARK", "sample options: expected an object but received " + describe(value));
  const Napi::Object object = value.As<Napi::Object>();
  SampleOptions options;
  options.warmup = intOption(object, "warmup", 0);
  options.samples = intOption(object, "samples", 1);
  options.launchesPerSample = intOption(object, "launchesPerSample", 1);
  const Napi::Value flush = object.Get("l2Flush");
  if (!flush.IsBoolean()) fail("ERR_RATCHET_INVALID_BENCHMARK", "sample options.l2Flush: expected a boolean but received " + describe(flush));
  options.l2Flush = flush.As<Napi::Boolean>().Value();
  const Napi::Value extra = object.Get("extraUs");
  if (!extra.IsUndefined()) {
    const double us = extra.IsNumber() ? extra.As<Napi::Number>().DoubleValue() : -1;
    if (!(us >= 0 && us < 1e7)) fail("ERR_RATCHET_INVALID_BENCHMARK", "sample options.extraUs: expected microseconds >= 0 but received " + describe(extra));
    options.extraUs = us;
  }
  return options;
}

Napi::Object deviceToJs(Napi::Env env, const DeviceInfo& d) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("backend", d.backend);
  o.Set("name", d.name);
  o.Set("deviceKey", d.deviceKey);
  o.Set("computeCapability", optional(env, d.computeCapability));
  o.Set("multiprocessorCount", d.multiprocessorCount);
  o.Set("l2CacheBytes", optional(env, d.l2CacheBytes));
  o.Set("memoryBytes", optional(env, d.memoryBytes));
  o.Set("driverVersion", optional(env, d.driverVersion));
  o.Set("runtimeVersion", optional(env, d.runtimeVersion));
  o.Set("smClockMHz", optional(env, d.smClockMHz));
  o.Set("memoryClockMHz", optional(env, d.memoryClockMHz));
  o.Set("peakBandwidthGBps", optional(env, d.peakBandwidthGBps));
  o.Set("peakTflops", optional(env, d.peakTflops));
  return o;
}

Napi::Object correctnessToJs(Napi::Env env, const Correctness& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("passed", c.passed);
  o.Set("maxAbsError", c.maxAbsError);
  o.Set("relError", c.relError);
  o.Set("tolerance", c.tolerance);
  o.Set("reference", c.reference);
  if (!c.detail.empty()) o.Set("detail", c.detail);
  if (std::isfinite(c.outputSum) && std::isfinite(c.outputAbsSum)) {
    Napi::Object checksum = Napi::Object::New(env);
    checksum.Set("sum", c.outputSum);
    checksum.Set("absSum", c.outputAbsSum);
    o.Set("checksum", checksum);
  }
  return o;
}

Napi::Object sampleBatchToJs(Napi::Env env, const SampleBatch& batch) {
  Napi::Object o = Napi::Object::New(env);
  Napi::Array ms = Napi::Array::New(env, batch.ms.size());
  for (size_t i = 0; i < batch.ms.size(); ++i) ms.Set(uint32_t(i), batch.ms[i]);
  o.Set("samplesMs", ms);
  if (batch.clockMHz.empty()) {
    o.Set("clockMHz", env.Null());
  } else {
    Napi::Array clocks = Napi::Array::New(env, batch.clockMHz.size());
    for (size_t i = 0; i < batch.clockMHz.size(); ++i) clocks.Set(uint32_t(i), batch.clockMHz[i]);
    o.Set("clockMHz", clocks);
  }
  return o;
}

Napi::Object kernelCodeToJs(Napi::Env env, const KernelCode& kernel) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("arch", kernel.arch);
  o.Set("symbol", kernel.symbol.empty() ? env.Null() : Napi::String::New(env, kernel.symbol));
  return o;
}

Napi::Object clockToJs(Napi::Env env, const ClockReading& clock) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("smClockMHz", clock.smClockMHz < 0 ? env.Null() : Napi::Number::New(env, clock.smClockMHz));
  Napi::Array reasons = Napi::Array::New(env, clock.throttleReasons.size());
  for (size_t i = 0; i < clock.throttleReasons.size(); ++i) reasons.Set(uint32_t(i), clock.throttleReasons[i]);
  o.Set("throttleReasons", reasons);
  return o;
}

}  // namespace ratchet
