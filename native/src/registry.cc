#include "registry.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>

#include "builtin/builtins.h"
#include "failure.h"

namespace ratchet {
namespace {

struct Registry {
  std::mutex mutex;
  std::deque<ProblemDef> problems;  // a deque: pointers handed out stay valid as it grows
  std::map<std::string, std::vector<const ProblemDef*>> byPlugin;  // real path -> its problems
  bool builtinsAdded = false;
};

// Never destroyed: sessions hold pointers into it, and a session's thread may still run while the
// process exits.
Registry& registry() {
  static auto* instance = new Registry;
  return *instance;
}

std::string describeSource(const ProblemSource& source) { return source.kind == "plugin" ? "plugin " + source.path : "the built-in problems"; }

// The caller holds the mutex.
void addBuiltinsLocked(Registry& r) {
  if (r.builtinsAdded) return;
  r.builtinsAdded = true;
  for (ProblemDef& def : builtinProblems()) r.problems.push_back(std::move(def));
}

void refuseDuplicatesLocked(const Registry& r, const std::vector<ProblemDef>& incoming, const std::string& path) {
  for (const ProblemDef& def : incoming) {
    for (const ProblemDef& known : r.problems) {
      if (known.name == def.name) fail("ERR_RATCHET_PLUGIN", path + ": problem '" + def.name + "' is already declared by " + describeSource(known.source));
    }
  }
}

std::string realPath(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    fail("ERR_RATCHET_PLUGIN", path + ": " + (errno == ENOENT ? std::string("no such file") : std::strerror(errno)) + " (a plugin is a shared library built against native/include/ratchet/problem.h)");
  }
  if (!S_ISREG(info.st_mode)) fail("ERR_RATCHET_PLUGIN", path + ": not a file (a plugin is a shared library)");
  char resolved[PATH_MAX];
  if (!realpath(path.c_str(), resolved)) fail("ERR_RATCHET_PLUGIN", path + ": " + std::strerror(errno));
  return resolved;
}

// The table the library exports. The handle is never closed: instances and kernel registrations
// of a CUDA plugin live as long as the process.
const ratchet_problem_table* openTable(const std::string& path, const std::string& real) {
  dlerror();
  void* library = dlopen(real.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = dlerror();
    fail("ERR_RATCHET_PLUGIN", path + ": not a shared library this machine can load (" + std::string(why ? why : "dlopen failed") + ")");
  }
  auto entry = reinterpret_cast<ratchet_problem_abi_fn>(dlsym(library, RATCHET_PROBLEM_ENTRY_POINT));
  if (!entry) {
    fail("ERR_RATCHET_PLUGIN", path + ": not a Ratchet plugin: it exports no " + std::string(RATCHET_PROBLEM_ENTRY_POINT) +
                                   "() (build it against native/include/ratchet/problem.h and define the entry point with RATCHET_PLUGIN_EXPORT)");
  }
  const ratchet_problem_table* table = entry();
  if (table && table->abi_version != RATCHET_PROBLEM_ABI_VERSION) {
    fail("ERR_RATCHET_PLUGIN", path + ": built for Ratchet problem ABI version " + std::to_string(table->abi_version) + ", but this Ratchet reads version " +
                                   std::to_string(RATCHET_PROBLEM_ABI_VERSION) + " (rebuild it against this Ratchet's native/include/ratchet/problem.h)");
  }
  return table;
}

}  // namespace

std::vector<const ProblemDef*> allProblems() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  addBuiltinsLocked(r);
  std::vector<const ProblemDef*> out;
  for (const ProblemDef& def : r.problems) out.push_back(&def);
  return out;
}

const ProblemDef& findProblem(const std::string& name) {
  const auto problems = allProblems();
  for (const ProblemDef* def : problems)
    if (def->name == name) return *def;
  std::string known;
  for (const ProblemDef* def : problems) known += (known.empty() ? "" : ", ") + def->name;
  fail("ERR_RATCHET_UNKNOWN_PROBLEM", "benchmark.kernel: no problem named '" + name + "' (known: " + known + "; a plugin that declares it is loaded with loadPlugin)");
}

std::vector<const ProblemDef*> loadPlugin(const std::string& path, const std::string& deviceCode) {
  const std::string real = realPath(path);
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  addBuiltinsLocked(r);
  const auto loaded = r.byPlugin.find(real);
  if (loaded != r.byPlugin.end()) return loaded->second;

  const ratchet_problem_table* table = openTable(path, real);
  ProblemSource source;
  source.kind = "plugin";
  source.path = real;
  source.abiVersion = RATCHET_PROBLEM_ABI_VERSION;
  source.deviceCode = deviceCode;
  std::vector<ProblemDef> incoming = readProblemTable(table, source, path);
  refuseDuplicatesLocked(r, incoming, path);
  std::vector<const ProblemDef*> added;
  for (ProblemDef& def : incoming) {
    r.problems.push_back(std::move(def));
    added.push_back(&r.problems.back());
  }
  r.byPlugin[real] = added;
  return added;
}

}  // namespace ratchet
