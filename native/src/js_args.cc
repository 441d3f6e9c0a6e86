// The arguments of every call, copied out of their JS values into the plain structs the work
// is done on (the benchmark itself: js_benchmark.cc). Nothing past this file reads a JS value.
#include <cmath>
#include <random>

#include "js.h"

namespace ratchet {
namespace {

// Far above any count a caller means, low enough for an int.
constexpr double kMaxCount = 1e9;

// The field `label`.`field` of `object`: an integer from `minimum` to `maximum`.
double integerField(const Napi::Object& object, const std::string& label, const char* field, double minimum, double maximum = kMaxCount) {
  const Napi::Value value = object.Get(field);
  const double n = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : std::nan("");
  if (!std::isfinite(n) || n != std::floor(n) || n < minimum || n > maximum) {
    const std::string from = std::to_string(int64_t(minimum));
    const std::string expected = maximum == kMaxCount ? "an integer >= " + from : "an integer from " + from + " to " + std::to_string(int64_t(maximum));
    fail("ERR_RATCHET_INVALID_BENCHMARK", label + "." + field + ": expected " + expected + " but received " + describeJs(value));
  }
  return n;
}

}  // namespace

Backend backendFromJs(const Napi::Value& value) {
  const std::string name = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (name == "cpu") return Backend::cpu;
  if (name == "cuda") return Backend::cuda;
  fail("ERR_RATCHET_INVALID_BACKEND", "backend: expected \"cpu\" or \"cuda\" but received " + describeJs(value));
}

int deviceIndexFromJs(const Napi::Value& value, const std::string& label) {
  if (value.IsUndefined()) return 0;
  const double n = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : std::nan("");
  if (!std::isfinite(n) || n != std::floor(n) || n < 0 || n > kMaxCount) fail("ERR_RATCHET_INVALID_BENCHMARK", label + ": expected an integer >= 0 but received " + describeJs(value));
  return int(n);
}

OpenRequest openRequestFromJs(const Napi::CallbackInfo& info) {
  OpenRequest request;
  request.backend = backendFromJs(info[0]);
  request.benchmark = benchmarkFromJs(info[1]);
  const Napi::Value given = info[2];
  if (!given.IsUndefined() && (!given.IsObject() || given.IsArray())) fail("ERR_RATCHET_INVALID_BENCHMARK", "open options: expected an object but received " + describeJs(given));
  const Napi::Object options = given.IsUndefined() ? Napi::Object::New(info.Env()) : given.As<Napi::Object>();
  request.device = deviceIndexFromJs(options.Get("device"), "open options.device");
  const Napi::Value variant = options.Get("variant");
  if (!variant.IsUndefined() && !variant.IsString()) fail("ERR_RATCHET_INVALID_BENCHMARK", "open options.variant: expected a variant name but received " + describeJs(variant));
  if (variant.IsString()) request.variant = variant.As<Napi::String>().Utf8Value();
  request.seed = options.Get("seed").IsUndefined() ? std::random_device{}() : uint32_t(integerField(options, "open options", "seed", 0, 4294967295.0));
  return request;
}

SampleOptions sampleOptionsFromJs(const Napi::Value& value) {
  if (!value.IsObject()) fail("ERR_RATCHET_INVALID_BENCHMARK", "sample options: expected an object but received " + describeJs(value));
  const Napi::Object object = value.As<Napi::Object>();
  SampleOptions options;
  options.warmup = int(integerField(object, "sample options", "warmup", 0));
  options.samples = int(integerField(object, "sample options", "samples", 1));
  options.launchesPerSample = int(integerField(object, "sample options", "launchesPerSample", 1));
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

}  // namespace ratchet
