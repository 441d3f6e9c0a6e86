// Benchmarks from JS: the generic form { kernel, ...params } read against the problem it names.
#include <algorithm>
#include <cmath>

#include "js.h"
#include "registry.h"

namespace ratchet {
namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& expected, const Napi::Value& got) {
  fail("ERR_RATCHET_INVALID_BENCHMARK", "benchmark." + field + ": expected " + expected + " but received " + describeJs(got));
}

std::string quotedList(const std::vector<std::string>& values) {
  if (values.size() == 2) return "\"" + values[0] + "\" or \"" + values[1] + "\"";
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + ("\"" + value + "\"");
  return values.size() == 1 ? text : "one of " + text;
}

int64_t readParam(const ParamDef& param, const Napi::Value& value) {
  switch (param.type) {
    case RATCHET_PARAM_BOOL:
      if (!value.IsBoolean()) invalid(param.name, "a boolean", value);
      return value.As<Napi::Boolean>().Value() ? 1 : 0;
    case RATCHET_PARAM_ENUM: {
      const std::string text = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
      for (size_t i = 0; i < param.enumValues.size(); ++i)
        if (value.IsString() && text == param.enumValues[i]) return int64_t(i);
      invalid(param.name, quotedList(param.enumValues), value);
    }
    default: {
      if (!value.IsNumber()) invalid(param.name, "an integer", value);
      const double n = value.As<Napi::Number>().DoubleValue();
      if (!std::isfinite(n) || n != std::floor(n) || std::abs(n) > 9.0e15) invalid(param.name, "an integer", value);
      return int64_t(n);
    }
  }
}

// Within the declared range and values; the message names the benchmark by its id.
void checkRange(const BenchmarkArgs& args, const ParamDef& param, int64_t value) {
  if (param.type != RATCHET_PARAM_INT) return;
  const std::string got = ", not " + std::to_string(value);
  if (value < param.min) fail("ERR_RATCHET_UNSUPPORTED_SHAPE", args.id + ": " + param.name + " must be at least " + std::to_string(param.min) + got);
  if (value > param.max) {
    const std::string label = param.description.empty() ? param.name : param.description + " " + param.name;
    fail("ERR_RATCHET_UNSUPPORTED_SHAPE", args.id + ": " + args.problem->name + " supports " + label + " from " + std::to_string(param.min) + " to " + std::to_string(param.max) + got);
  }
  if (!param.intValues.empty() && std::find(param.intValues.begin(), param.intValues.end(), value) == param.intValues.end()) {
    std::string allowed;
    for (int64_t v : param.intValues) allowed += (allowed.empty() ? "" : ", ") + std::to_string(v);
    fail("ERR_RATCHET_UNSUPPORTED_SHAPE", args.id + ": " + param.name + " must be one of " + allowed + got);
  }
}

}  // namespace

BenchmarkArgs benchmarkFromJs(const Napi::Value& value) {
  if (!value.IsObject() || value.IsArray()) invalid("(itself)", "an object", value);
  const Napi::Object object = value.As<Napi::Object>();
  const Napi::Value kernel = object.Get("kernel");
  if (!kernel.IsString()) invalid("kernel", "a string", kernel);
  BenchmarkArgs args;
  args.problem = &findProblem(kernel.As<Napi::String>().Utf8Value());
  const ProblemDef& problem = *args.problem;
  for (const ParamDef& param : problem.params) args.values.push_back(readParam(param, object.Get(param.name)));
  const Napi::Array keys = object.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    const std::string key = keys.Get(i).ToString().Utf8Value();
    const bool declared = std::any_of(problem.params.begin(), problem.params.end(), [&](const ParamDef& p) { return p.name == key; });
    if (key == "kernel" || declared) continue;
    std::string names;
    for (const ParamDef& p : problem.params) names += (names.empty() ? "" : ", ") + p.name;
    fail("ERR_RATCHET_INVALID_BENCHMARK", "benchmark." + key + ": unknown parameter of " + problem.name + " (its parameters: " + (names.empty() ? "none" : names) + ")");
  }
  args.id = benchmarkId(problem, args.values);
  for (size_t i = 0; i < problem.params.size(); ++i) checkRange(args, problem.params[i], args.values[i]);
  return args;
}

}  // namespace ratchet
