#include "js.h"

#include <cmath>

namespace ratchet {
namespace {

Napi::FunctionReference& errorClassRef() {
  static Napi::FunctionReference ref;
  return ref;
}

int intOption(const Napi::Object& object, const char* field, int minimum) {
  const Napi::Value value = object.Get(field);
  const double n = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : std::nan("");
  if (!std::isfinite(n) || n != std::floor(n) || n < minimum || n > 1e9) {
    fail("ERR_RATCHET_INVALID_BENCHMARK", std::string("sample options.") + field + ": expected an integer >= " + std::to_string(minimum) + " but received " + describeJs(value));
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

std::string describeJs(const Napi::Value& value) {
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

SampleOptions sampleOptionsFromJs(const Napi::Value& value) {
  if (!value.IsObject()) fail("ERR_RATCHET_INVALID_BENCHMARK", "sample options: expected an object but received " + describeJs(value));
  const Napi::Object object = value.As<Napi::Object>();
  SampleOptions options;
  options.warmup = intOption(object, "warmup", 0);
  options.samples = intOption(object, "samples", 1);
  options.launchesPerSample = intOption(object, "launchesPerSample", 1);
  const Napi::Value flush = object.Get("l2Flush");
  if (!flush.IsBoolean()) fail("ERR_RATCHET_INVALID_BENCHMARK", "sample options.l2Flush: expected a boolean but received " + describeJs(flush));
  options.l2Flush = flush.As<Napi::Boolean>().Value();
  const Napi::Value extra = object.Get("extraUs");
  if (!extra.IsUndefined()) {
    const double us = extra.IsNumber() ? extra.As<Napi::Number>().DoubleValue() : -1;
    if (!(us >= 0 && us < 1e7)) fail("ERR_RATCHET_INVALID_BENCHMARK", "sample options.extraUs: expected microseconds >= 0 but received " + describeJs(extra));
    options.extraUs = us;
  }
  return options;
}

Napi::Object deviceToJs(Napi::Env env, const DeviceInfo& d) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("backend", d.backend);
  o.Set("name", d.name);
  o.Set("deviceKey", d.deviceKey);
  o.Set("index", d.index);
  o.Set("uuid", d.uuid.empty() ? Napi::Value(env.Null()) : Napi::Value(Napi::String::New(env, d.uuid)));
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

Napi::Object workToJs(Napi::Env env, const ratchet_work& work) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("flops", work.flops);
  o.Set("bytes", work.bytes);
  return o;
}

Napi::Object problemToJs(Napi::Env env, const ProblemDef& problem) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", problem.name);
  o.Set("summary", problem.summary);
  Napi::Array params = Napi::Array::New(env, problem.params.size());
  for (size_t i = 0; i < problem.params.size(); ++i) {
    const ParamDef& p = problem.params[i];
    Napi::Object param = Napi::Object::New(env);
    param.Set("name", p.name);
    if (p.type == RATCHET_PARAM_INT) {
      param.Set("type", "int");
      param.Set("min", double(p.min));
      param.Set("max", double(p.max));
      if (!p.intValues.empty()) {
        Napi::Array values = Napi::Array::New(env, p.intValues.size());
        for (size_t v = 0; v < p.intValues.size(); ++v) values.Set(uint32_t(v), double(p.intValues[v]));
        param.Set("values", values);
      }
    } else if (p.type == RATCHET_PARAM_ENUM) {
      param.Set("type", "enum");
      param.Set("values", stringsToJs(env, p.enumValues));
    } else {
      param.Set("type", "bool");
    }
    if (!p.description.empty()) param.Set("description", p.description);
    params.Set(uint32_t(i), param);
  }
  o.Set("params", params);
  o.Set("variants", stringsToJs(env, problem.variants()));
  o.Set("backends", stringsToJs(env, problem.backends()));
  Napi::Object source = Napi::Object::New(env);
  source.Set("kind", problem.source.kind);
  if (problem.source.kind == "plugin") {
    source.Set("path", problem.source.path);
    source.Set("abiVersion", problem.source.abiVersion);
  }
  o.Set("source", source);
  return o;
}

Napi::Array launchedKernelsToJs(Napi::Env env, const CapturedLaunch& launch) {
  auto triple = [&](const uint32_t (&v)[3]) {
    Napi::Array a = Napi::Array::New(env, 3);
    for (uint32_t i = 0; i < 3; ++i) a.Set(i, v[i]);
    return a;
  };
  Napi::Array kernels = Napi::Array::New(env, launch.kernels.size());
  for (size_t i = 0; i < launch.kernels.size(); ++i) {
    const LaunchedKernel& k = launch.kernels[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", k.name.empty() ? env.Null() : Napi::String::New(env, k.name));
    o.Set("grid", triple(k.grid));
    o.Set("block", triple(k.block));
    o.Set("cluster", triple(k.cluster));
    o.Set("dynamicSmemBytes", k.dynamicSmemBytes);
    Napi::Object attributes = Napi::Object::New(env);
    for (const auto& [name, value] : k.attributes) attributes.Set(name, value);
    o.Set("attributes", attributes);
    kernels.Set(uint32_t(i), o);
  }
  return kernels;
}

Napi::Array stringsToJs(Napi::Env env, const std::vector<std::string>& values) {
  Napi::Array array = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) array.Set(uint32_t(i), values[i]);
  return array;
}

}  // namespace ratchet
