#include "js.h"

#include <cmath>
#include <iterator>
#include <type_traits>

namespace ratchet {
namespace {

Napi::FunctionReference& errorClassRef() {
  static Napi::FunctionReference ref;
  return ref;
}

template <typename T>
Napi::Value optional(Napi::Env env, const std::optional<T>& value) {
  if (!value) return env.Null();
  if constexpr (std::is_same_v<T, std::string>) return Napi::String::New(env, *value);
  else return Napi::Number::New(env, double(*value));
}

// Numbers (any arithmetic type) or strings, as a JS array.
template <typename Values>
Napi::Array arrayToJs(Napi::Env env, const Values& values) {
  Napi::Array array = Napi::Array::New(env, std::size(values));
  uint32_t i = 0;
  for (const auto& value : values) {
    if constexpr (std::is_arithmetic_v<std::decay_t<decltype(value)>>) array.Set(i++, Napi::Number::New(env, double(value)));
    else array.Set(i++, Napi::String::New(env, value));
  }
  return array;
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

Failure currentFailure() {
  try {
    throw;
  } catch (const Failure& failure) {
    return failure;
  } catch (const std::bad_alloc&) {
    return Failure("ERR_RATCHET_OUT_OF_MEMORY", "out of host memory");
  } catch (const std::exception& error) {
    return Failure("ERR_RATCHET_INTERNAL", std::string("native: ") + error.what());
  } catch (...) {
    return Failure("ERR_RATCHET_INTERNAL", "native: an exception of unknown type");
  }
}

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

// The structs below go out field by field, each under the name its TypeScript type gives it
// (native/lib/addon.ts, @ratchet/types): one line a field, so they read alike on purpose.
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
  o.Set("samplesMs", arrayToJs(env, batch.ms));
  o.Set("clockMHz", batch.clockMHz.empty() ? env.Null() : Napi::Value(arrayToJs(env, batch.clockMHz)));
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
  o.Set("throttleReasons", arrayToJs(env, clock.throttleReasons));
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
      if (!p.intValues.empty()) param.Set("values", arrayToJs(env, p.intValues));
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
  Napi::Array kernels = Napi::Array::New(env, launch.kernels.size());
  for (size_t i = 0; i < launch.kernels.size(); ++i) {
    const LaunchedKernel& k = launch.kernels[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", k.name.empty() ? env.Null() : Napi::String::New(env, k.name));
    o.Set("grid", arrayToJs(env, k.grid));
    o.Set("block", arrayToJs(env, k.block));
    o.Set("cluster", arrayToJs(env, k.cluster));
    o.Set("dynamicSmemBytes", k.dynamicSmemBytes);
    Napi::Object attributes = Napi::Object::New(env);
    for (const auto& [name, value] : k.attributes) attributes.Set(name, value);
    o.Set("attributes", attributes);
    kernels.Set(uint32_t(i), o);
  }
  return kernels;
}

Napi::Array stringsToJs(Napi::Env env, const std::vector<std::string>& values) { return arrayToJs(env, values); }

}  // namespace ratchet
