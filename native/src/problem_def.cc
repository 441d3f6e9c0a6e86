#include "problem_def.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "failure.h"

namespace ratchet {
namespace {

// JavaScript numbers hold integers exactly up to 2^53: larger bounds could not round-trip.
constexpr int64_t kMaxSafeInteger = (int64_t(1) << 53) - 1;
// Bounds on a table's sizes: far above any real problem, low enough that a garbage count from a
// broken plugin is refused instead of read.
constexpr uint32_t kMaxProblems = 1024, kMaxParams = 64, kMaxValues = 4096;

bool isIdSegment(const std::string& text) {
  return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

bool isParamName(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::isalpha(static_cast<unsigned char>(text[0])) &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

struct Reader {
  std::string where;  // "<path>: problem 2 ('name')"

  [[noreturn]] void lie(const std::string& what) const { fail("ERR_RATCHET_PLUGIN", where + ": " + what); }

  std::string text(const char* value, const std::string& field) const {
    if (!value) lie(field + " is NULL");
    std::string out(value);
    if (out.find('\n') != std::string::npos) lie(field + " spans several lines");
    return out;
  }

  std::vector<std::string> names(const char* const* values, uint32_t count, const std::string& field) const {
    if (count == 0) lie(field + " is empty");
    if (count > kMaxValues) lie(field + " has " + std::to_string(count) + " entries (at most " + std::to_string(kMaxValues) + ")");
    if (!values) lie(field + " is NULL with " + std::to_string(count) + " entries");
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (uint32_t i = 0; i < count; ++i) {
      const std::string name = text(values[i], field + "[" + std::to_string(i) + "]");
      if (!isIdSegment(name)) lie(field + "[" + std::to_string(i) + "] '" + name + "' must be letters, digits, '_', '.' or '-'");
      if (!seen.insert(name).second) lie(field + " names '" + name + "' twice");
      out.push_back(name);
    }
    return out;
  }

  ParamDef param(const ratchet_param& p, const std::string& field) const {
    ParamDef def;
    def.name = text(p.name, field + ".name");
    if (!isParamName(def.name) || def.name == "kernel") lie(field + ".name '" + def.name + "' must be letters and digits, starting with a letter, and not 'kernel'");
    const std::string named = "parameter '" + def.name + "'";
    if (p.description) def.description = text(p.description, named + " description");
    def.type = p.type;
    if (p.type == RATCHET_PARAM_INT) {
      def.min = p.min;
      def.max = p.max;
      if (p.min > p.max) lie(named + ": min " + std::to_string(p.min) + " is above max " + std::to_string(p.max));
      if (p.min < -kMaxSafeInteger || p.max > kMaxSafeInteger) lie(named + ": min and max must be within +-2^53");
      if (p.int_value_count > 0) {
        if (p.int_value_count > kMaxValues || !p.int_values) lie(named + ": int_values is NULL or too long");
        for (uint32_t i = 0; i < p.int_value_count; ++i) {
          const int64_t value = p.int_values[i];
          if (value < p.min || value > p.max) lie(named + ": allowed value " + std::to_string(value) + " is outside [" + std::to_string(p.min) + ", " + std::to_string(p.max) + "]");
          if (std::find(def.intValues.begin(), def.intValues.end(), value) != def.intValues.end()) lie(named + ": allowed value " + std::to_string(value) + " is listed twice");
          def.intValues.push_back(value);
        }
      }
    } else if (p.type == RATCHET_PARAM_ENUM) {
      def.enumValues = names(p.enum_values, p.enum_value_count, named + " enum_values");
    } else if (p.type != RATCHET_PARAM_BOOL) {
      lie(named + ": type " + std::to_string(p.type) + " is not RATCHET_PARAM_INT, _ENUM or _BOOL");
    }
    return def;
  }
};

bool sameParams(const std::vector<ParamDef>& a, const std::vector<ParamDef>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const ParamDef &x = a[i], &y = b[i];
    if (x.name != y.name || x.type != y.type || x.min != y.min || x.max != y.max || x.intValues != y.intValues || x.enumValues != y.enumValues) return false;
  }
  return true;
}

ProblemDef readProblem(const ratchet_problem& p, const ProblemSource& source, const Reader& reader, ProblemImpl& impl) {
  ProblemDef def;
  def.source = source;
  def.name = reader.text(p.name, "name");
  if (!isIdSegment(def.name)) reader.lie("name '" + def.name + "' must be letters, digits, '_', '.' or '-'");
  const Reader named{reader.where + " ('" + def.name + "')"};
  def.summary = named.text(p.summary, "summary");
  if (p.device != RATCHET_DEVICE_CPU && p.device != RATCHET_DEVICE_CUDA) named.lie("device " + std::to_string(p.device) + " is not RATCHET_DEVICE_CPU or RATCHET_DEVICE_CUDA");
  if (p.param_count > kMaxParams) named.lie(std::to_string(p.param_count) + " parameters (at most " + std::to_string(kMaxParams) + ")");
  if (p.param_count > 0 && !p.params) named.lie("params is NULL with " + std::to_string(p.param_count) + " entries");
  std::set<std::string> paramNames;
  for (uint32_t i = 0; i < p.param_count; ++i) {
    def.params.push_back(named.param(p.params[i], "params[" + std::to_string(i) + "]"));
    if (!paramNames.insert(def.params.back().name).second) named.lie("parameter '" + def.params.back().name + "' is declared twice");
  }
  impl.abi = &p;
  impl.variants = named.names(p.variants, p.variant_count, "variant list");
  const std::pair<const void*, const char*> functions[] = {
      {reinterpret_cast<const void*>(p.supports), "supports"}, {reinterpret_cast<const void*>(p.default_variant), "default_variant"},
      {reinterpret_cast<const void*>(p.work), "work"},         {reinterpret_cast<const void*>(p.setup), "setup"},
      {reinterpret_cast<const void*>(p.fill_inputs), "fill_inputs"}, {reinterpret_cast<const void*>(p.launch), "launch"},
      {reinterpret_cast<const void*>(p.check), "check"},       {reinterpret_cast<const void*>(p.teardown), "teardown"},
  };
  for (const auto& [function, name] : functions)
    if (!function) named.lie(std::string(name) + " is NULL");
  return def;
}

}  // namespace

std::vector<std::string> ProblemDef::backends() const {
  std::vector<std::string> out;
  if (cpu) out.emplace_back("cpu");
  if (cuda) out.emplace_back("cuda");
  return out;
}

std::vector<std::string> ProblemDef::variants() const {
  std::vector<std::string> out;
  for (const auto* impl : {cuda ? &*cuda : nullptr, cpu ? &*cpu : nullptr}) {
    if (!impl) continue;
    for (const auto& name : impl->variants)
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::string benchmarkId(const ProblemDef& problem, const std::vector<int64_t>& values) {
  std::string id = problem.name, tail;
  for (size_t i = 0; i < problem.params.size() && i < values.size(); ++i) {
    const ParamDef& param = problem.params[i];
    if (param.type == RATCHET_PARAM_ENUM) {
      id += "/" + (values[i] >= 0 && size_t(values[i]) < param.enumValues.size() ? param.enumValues[size_t(values[i])] : "?");
    } else if (param.type == RATCHET_PARAM_INT) {
      tail += (tail.empty() ? "" : "_") + param.name + std::to_string(values[i]);
    } else if (values[i]) {
      tail += (tail.empty() ? "" : "_") + param.name;
    }
  }
  return tail.empty() ? id : id + "/" + tail;
}

std::vector<ProblemDef> readProblemTable(const ratchet_problem_table* table, const ProblemSource& source, const std::string& where) {
  const Reader reader{where};
  if (!table) reader.lie(std::string(RATCHET_PROBLEM_ENTRY_POINT) + "() returned NULL");
  if (table->problem_size != sizeof(ratchet_problem)) {
    reader.lie("problem_size is " + std::to_string(table->problem_size) + ", not " + std::to_string(sizeof(ratchet_problem)) + " (sizeof(ratchet_problem) of ABI version " +
               std::to_string(RATCHET_PROBLEM_ABI_VERSION) + "): rebuild it against an unmodified ratchet/problem.h");
  }
  if (table->problem_count == 0) reader.lie("declares no problems");
  if (table->problem_count > kMaxProblems || !table->problems) reader.lie("problems is NULL or has " + std::to_string(table->problem_count) + " entries");
  std::vector<ProblemDef> out;
  for (uint32_t i = 0; i < table->problem_count; ++i) {
    const ratchet_problem& p = table->problems[i];
    ProblemImpl impl;
    ProblemDef def = readProblem(p, source, Reader{where + ": problem " + std::to_string(i)}, impl);
    const bool cuda = p.device == RATCHET_DEVICE_CUDA;
    auto same = std::find_if(out.begin(), out.end(), [&](const ProblemDef& d) { return d.name == def.name; });
    if (same == out.end()) {
      (cuda ? def.cuda : def.cpu) = std::move(impl);
      out.push_back(std::move(def));
      continue;
    }
    if (cuda ? same->cuda.has_value() : same->cpu.has_value()) reader.lie("declares problem '" + def.name + "' twice for " + (cuda ? "cuda" : "cpu"));
    if (!sameParams(same->params, def.params)) reader.lie("declares problem '" + def.name + "' for cpu and cuda with different parameters");
    (cuda ? same->cuda : same->cpu) = std::move(impl);
  }
  return out;
}

}  // namespace ratchet
